import { Server } from 'http';
import { AddressInfo } from 'net';
import { closeServer } from './local-http';

/** A mail as aws-ses-v2-local stores it. */
export interface SentEmail {
  readonly from: string;
  readonly destination: { readonly to: string[] };
  readonly subject: string;
  readonly body: { readonly text?: string; readonly html?: string };
  readonly at: number;
}

/** aws-ses-v2-local, in this process: SES SendEmail, with sent mail readable from its store. */
export class LocalSes {
  private server?: Server;
  public url = '';

  public async start(): Promise<string> {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const sesServer = require('aws-ses-v2-local').default as (config: { host: string; port: number }) => Promise<Server>;
    this.server = await sesServer({ host: '127.0.0.1', port: 0 });
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    await fetch(`${this.url}/clear-store`, { method: 'POST' });
    return this.url;
  }

  public async emails(): Promise<SentEmail[]> {
    const res = await fetch(`${this.url}/store`);
    const store = await res.json() as { emails: SentEmail[] };
    return store.emails;
  }

  public async stop(): Promise<void> {
    await closeServer(this.server);
  }
}
