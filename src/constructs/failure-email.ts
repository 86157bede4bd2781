import { Token } from 'aws-cdk-lib';
import { AwsLimits } from './limits/aws-limits';

/** What the SES identity verifies. */
export enum SenderIdentityScope {
  /** Verify the sender address itself (a confirmation mail is sent to it). */
  ADDRESS = 'ADDRESS',
  /** Verify the sender's whole domain (DKIM records to publish in its DNS). */
  DOMAIN = 'DOMAIN',
}

/** Who is mailed, and from where, when a step fails. */
export interface FailureEmailOptions {
  /** The From address of failure mail, e.g. `pipelines@example.com`. */
  readonly sender: string;

  /**
   * Who receives failure mail: at most 50 addresses, SES's limit for one message. While the
   * account is in the SES sandbox, each recipient must be a verified identity too.
   */
  readonly recipients: string[];

  /**
   * An SES configuration set (existing, by name) to send failure mail with, e.g. to publish
   * bounces and rejections. It becomes the identity's default configuration set, every mail
   * names it, and the runner is allowed `ses:SendEmail` on it, which SES checks as well as the
   * identity.
   *
   * @default - no configuration set
   */
  readonly configurationSetName?: string;

  /**
   * Whether the created SES identity is the sender address or its domain.
   *
   * @default SenderIdentityScope.ADDRESS
   */
  readonly identityScope?: SenderIdentityScope;
}

const EMAIL = /^[^\s@]+@([^\s@]+\.[^\s@]+)$/;

/** Validates the options and returns the identity to create (address or domain). */
export function senderIdentity(options: FailureEmailOptions): string {
  const match = Token.isUnresolved(options.sender) ? undefined : EMAIL.exec(options.sender);
  if (!match) {
    throw new Error(`failure email sender "${options.sender}" is not an email address such as "pipelines@example.com"`);
  }
  if (options.recipients.length === 0) {
    throw new Error('failure email has no recipients: list at least one address in recipients');
  }
  if (options.recipients.length > AwsLimits.RECIPIENTS_PER_MESSAGE) {
    throw new Error(`failure email has ${options.recipients.length} recipients, more than the ${AwsLimits.RECIPIENTS_PER_MESSAGE} SES sends one `
      + 'message to; list a mailing list address instead of its members');
  }
  for (const recipient of options.recipients) {
    if (!Token.isUnresolved(recipient) && !EMAIL.test(recipient)) {
      throw new Error(`failure email recipient "${recipient}" is not an email address`);
    }
  }
  return (options.identityScope ?? SenderIdentityScope.ADDRESS) === SenderIdentityScope.DOMAIN ? match[1] : options.sender;
}
