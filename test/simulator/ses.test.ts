import { SendEmailCommand, SESClient } from '@aws-sdk/client-ses';
import { destinationOf, LocalSes } from '../../simulator/local-aws/ses';

test.each([
  ['one recipient', 'Action=SendEmail&Destination.ToAddresses.member.1=a%40x.com', { to: ['a@x.com'], cc: [], bcc: [] }],
  ['members in member order, past 9', [...Array(11).keys()].reverse().map((i) => `Destination.ToAddresses.member.${i + 1}=r${i + 1}%40x.com`).join('&'),
    { to: [...Array(11).keys()].map((i) => `r${i + 1}@x.com`), cc: [], bcc: [] }],
  ['each list on its own', 'Destination.ToAddresses.member.1=a%40x.com&Destination.CcAddresses.member.1=c%40x.com&Destination.BccAddresses.member.2=e%40x.com&Destination.BccAddresses.member.1=d%40x.com',
    { to: ['a@x.com'], cc: ['c@x.com'], bcc: ['d@x.com', 'e@x.com'] }],
  ['no destination', 'Action=SendEmail&Source=s%40x.com', { to: [], cc: [], bcc: [] }],
])('destinationOf: %s', (_, body, destination) => {
  expect(destinationOf(body)).toEqual(destination);
});

describe('LocalSes', () => {
  const ses = new LocalSes();
  beforeAll(() => ses.start());
  afterAll(() => ses.stop());

  test('GIVEN a v1 SendEmail to three recipients WHEN the mail is read back THEN it lists all three', async () => {
    const client = new SESClient({ endpoint: ses.url, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });

    await client.send(new SendEmailCommand({
      Source: 'pipelines@example.com',
      Destination: { ToAddresses: ['data-team@example.com', 'oncall@example.com', 'lead@example.com'], CcAddresses: ['audit@example.com'] },
      Message: { Subject: { Data: 'step load failed' }, Body: { Text: { Data: 'details' } } },
    }));

    const [mail] = await ses.emails();
    expect(mail.destination).toEqual({ to: ['data-team@example.com', 'oncall@example.com', 'lead@example.com'], cc: ['audit@example.com'], bcc: [] });
    expect(mail).toMatchObject({ from: 'pipelines@example.com', subject: 'step load failed', body: { text: 'details' } });
  });
});
