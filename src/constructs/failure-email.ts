import { Token } from 'aws-cdk-lib';

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
   * Who receives failure mail. While the account is in the SES sandbox, each recipient must be
   * a verified identity too.
   */
  readonly recipients: string[];

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
  for (const recipient of options.recipients) {
    if (!Token.isUnresolved(recipient) && !EMAIL.test(recipient)) {
      throw new Error(`failure email recipient "${recipient}" is not an email address`);
    }
  }
  return (options.identityScope ?? SenderIdentityScope.ADDRESS) === SenderIdentityScope.DOMAIN ? match[1] : options.sender;
}
