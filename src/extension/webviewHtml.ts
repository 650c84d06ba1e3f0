/** HTML for the webviews: strict CSP (nothing but our bundled script, by nonce, and our styles). */
import * as vscode from 'vscode';
import { randomBytes } from 'node:crypto';

export function webviewRoots(extensionUri: vscode.Uri): vscode.Uri[] {
  return [vscode.Uri.joinPath(extensionUri, 'dist', 'webview'), vscode.Uri.joinPath(extensionUri, 'media', 'css')];
}

export function webviewHtml(webview: vscode.Webview, extensionUri: vscode.Uri, app: 'dashboard' | 'form' | 'report', title: string): string {
  const nonce = randomBytes(16).toString('base64');
  const script = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview', `${app}.js`));
  const style = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', 'css', `${app}.css`));
  const csp = [
    "default-src 'none'",
    `style-src ${webview.cspSource}`,
    `img-src ${webview.cspSource} data:`,
    `font-src ${webview.cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${style}">
<title>${title}</title>
</head>
<body>
<div id="app" role="main"></div>
<script nonce="${nonce}" src="${script}"></script>
</body>
</html>`;
}

/**
 * Points a panel at one of our apps (icon, options, HTML) and wires what every panel needs: its
 * messages, a redraw when it is shown again (hidden webviews drop messages), and its end.
 */
export function attachApp(
  panel: vscode.WebviewPanel, extensionUri: vscode.Uri, app: 'dashboard' | 'report', title: string,
  on: { message(raw: unknown): void; visible(): void; disposed(): void },
): void {
  panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'icon.svg');
  panel.webview.options = { enableScripts: true, localResourceRoots: webviewRoots(extensionUri) };
  panel.webview.html = webviewHtml(panel.webview, extensionUri, app, title);
  const subscriptions = [
    panel.webview.onDidReceiveMessage((raw) => on.message(raw)),
    panel.onDidChangeViewState(({ webviewPanel }) => webviewPanel.visible && on.visible()),
  ];
  subscriptions.push(
    panel.onDidDispose(() => {
      for (const s of subscriptions) s.dispose();
      on.disposed();
    }),
  );
}
