/**
 * The Paper report webview: draws whatever report the host sends (all of it, each time) and asks
 * the host to act by claim id. It keeps nothing but where the keyboard focus was across redraws.
 */
import { parseHostReportMessage, type ReportToHost } from '../../src/protocol/hostReport';
import { vscodeApi } from '../shared/vscodeApi';
import { element } from '../shared/dom';
import { renderReport } from './render';

const api = vscodeApi<Record<string, never>>();
const root = document.getElementById('app')!;
const post = (message: ReportToHost) => api.postMessage(message);

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const message = parseHostReportMessage(event.data);
  if (!message) return;
  // A redraw replaces the buttons: focus goes back to the one that had it (same id).
  const focused = document.activeElement?.id;
  if (message.type === 'host/noReport') root.replaceChildren(element('p', { class: 'empty' }, message.message));
  else renderReport(root, message.report, (action, id) => post({ type: 'report/action', action, id }), () => post({ type: 'report/openHtml' }));
  if (focused) document.getElementById(focused)?.focus();
});

post({ type: 'report/ready' });
