// Screen 10, CSV import: choose the file (from the USB stick), see every row as new, update, unchanged or
// error, then commit all of it or nothing.
import { LitElement, css, html, nothing } from 'lit';
import { command, newKey, recordTap } from '../client/api.ts';
import { kioskStyles } from '../styles.ts';
import type { ImportData } from '../view-types.ts';
import './commit-panel.ts';

interface PreviewRow {
  row: number;
  key: string;
  status: string;
  message: string;
}

export class CsvImportScreen extends LitElement {
  static override properties = { data: { type: Object }, csv: { state: true }, rows: { state: true }, error: { state: true } };
  static override styles = [kioskStyles, css`
    input[type='file'] { font-size: 18px; min-height: 56px; }
    .scroll { max-height: 220px; overflow-y: auto; margin: 8px 0; }
    .error-row { background: #fde8e8; }
  `];
  declare data: ImportData;
  declare csv: string;
  declare rows: PreviewRow[] | null;
  declare error: string;

  constructor() {
    super();
    this.csv = '';
    this.rows = null;
    this.error = '';
  }

  private async choose(e: Event) {
    const file = (e.target as HTMLInputElement).files?.[0];
    if (!file) return;
    this.csv = await file.text();
    this.rows = null;
    void recordTap(`admin-import-${this.data.kind}`, 'start', file.name);
    const answer = await command(`import-${this.data.kind}`, { csv: this.csv }, newKey());
    if (!answer.ok) {
      this.error = answer.error.message;
      return;
    }
    this.error = '';
    this.rows = answer.rows as PreviewRow[];
  }

  override render() {
    const errors = this.rows?.filter((r) => r.status === 'error').length ?? 0;
    return html`<h1>Import ${this.data.kind} from a CSV file</h1>
      <label for="file">CSV file</label><input id="file" type="file" accept=".csv,text/csv" @change=${this.choose}>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
      ${this.rows ? html`<div class="scroll"><table><thead><tr><th>Row</th><th>${this.data.kind === 'assets' ? 'Tag' : 'Holder'}</th><th>Result</th><th></th></tr></thead>
        <tbody>${this.rows.map((r) => html`<tr class=${r.status === 'error' ? 'error-row' : ''}><td>${r.row}</td><td>${r.key}</td><td>${r.status}</td><td>${r.message}</td></tr>`)}</tbody></table></div>
        <p class=${errors ? 'error' : 'muted'}>${errors ? `${errors} row(s) have errors: fix the file; nothing will be imported.` : `${this.rows.length} rows checked. Confirm imports all of them.`}</p>` : nothing}
      <commit-panel command="import-${this.data.kind}" .input=${{ csv: this.csv, commit: true }} screen="admin-import-${this.data.kind}" target="csv"
        confirmLabel="Confirm: import all rows" successText="Imported." ?disabled=${!this.rows || errors > 0} cancelHref="/admin"></commit-panel>`;
  }
}
customElements.define('csv-import-screen', CsvImportScreen);
