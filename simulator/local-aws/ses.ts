import { createServer, IncomingMessage, request, Server, ServerResponse } from 'http';
import { AddressInfo } from 'net';
import { closeServer, listenOnLoopback, readBody } from './local-http';

/** Who a mail went to. */
export interface MailDestination {
  readonly to: string[];
  readonly cc: string[];
  readonly bcc: string[];
}

/** A mail as aws-ses-v2-local stores it, with its recipients as the caller sent them. */
export interface SentEmail {
  readonly messageId: string;
  readonly from: string;
  readonly destination: MailDestination;
  readonly subject: string;
  readonly body: { readonly text?: string; readonly html?: string };
  readonly at: number;
}

/**
 * aws-ses-v2-local, in this process: SES SendEmail, with sent mail readable from its store.
 *
 * The stand-in keeps only the first member of each address list of a v1 `SendEmail`
 * (`Destination.ToAddresses.member.1`), so the recipients are read here instead: a pass-through
 * in front of it parses each request it accepts and files the lists under the message id it
 * answered with.
 */
export class LocalSes {
  private standIn?: Server;
  private front?: Server;
  private standInUrl = '';
  private readonly destinations = new Map<string, MailDestination>();
  public url = '';

  public async start(): Promise<string> {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const sesServer = require('aws-ses-v2-local').default as (config: { host: string; port: number }) => Promise<Server>;
    this.standIn = await sesServer({ host: '127.0.0.1', port: 0 });
    this.standInUrl = `http://127.0.0.1:${(this.standIn.address() as AddressInfo).port}`;
    await fetch(`${this.standInUrl}/clear-store`, { method: 'POST' });
    this.front = createServer((req, res) => void this.pass(req, res));
    this.url = await listenOnLoopback(this.front);
    return this.url;
  }

  public async emails(): Promise<SentEmail[]> {
    const res = await fetch(`${this.standInUrl}/store`);
    const store = await res.json() as { emails: Array<Omit<SentEmail, 'destination'> & { destination: Partial<MailDestination> }> };
    return store.emails.map((mail) => ({
      ...mail,
      destination: this.destinations.get(mail.messageId) ?? { to: [], cc: [], bcc: [], ...mail.destination },
    }));
  }

  public async stop(): Promise<void> {
    await Promise.all([closeServer(this.front), closeServer(this.standIn)]);
  }

  private async pass(req: IncomingMessage, res: ServerResponse) {
    const body = await readBody(req);
    const upstream = request(`${this.standInUrl}${req.url ?? '/'}`, { method: req.method, headers: req.headers }, (answer) => {
      const chunks: Buffer[] = [];
      answer.on('data', (c: Buffer) => chunks.push(c));
      answer.on('end', () => {
        const text = Buffer.concat(chunks);
        const messageId = /<MessageId>([^<]+)<\/MessageId>/.exec(text.toString('utf8'))?.[1];
        if (answer.statusCode === 200 && messageId && new URLSearchParams(body).get('Action') === 'SendEmail') {
          this.destinations.set(messageId, destinationOf(body));
        }
        res.writeHead(answer.statusCode ?? 502, answer.headers).end(text);
      });
    });
    upstream.on('error', () => res.destroy());
    upstream.end(body);
  }
}

/** The address lists of a v1 `SendEmail` request (form-encoded), every member in member order. */
export function destinationOf(formBody: string): MailDestination {
  const params = [...new URLSearchParams(formBody)];
  const members = (list: string) => params
    .flatMap(([key, value]) => {
      const n = new RegExp(`^Destination\\.${list}\\.member\\.(\\d+)$`).exec(key)?.[1];
      return n === undefined ? [] : [{ n: Number(n), value }];
    })
    .sort((a, b) => a.n - b.n)
    .map((m) => m.value);
  return { to: members('ToAddresses'), cc: members('CcAddresses'), bcc: members('BccAddresses') };
}
