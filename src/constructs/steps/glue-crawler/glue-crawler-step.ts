import { Duration } from 'aws-cdk-lib';
import { PipelineStep, PipelineStepOptions } from '../../pipeline-step';
import { GlueAccess, StepTaskFields } from '../step-internals';
import { labelOf, validateGlueName, waitMinutesOf } from '../step-options';

/** How long a crawler step waits for its crawl when it sets no timeout. */
const DEFAULT_CRAWL_MINUTES = 12 * 60;

/** A step that runs one crawl of a Glue crawler. */
export interface GlueCrawlerStepProps extends PipelineStepOptions {
  /** The name of the crawler to run; may be a token, e.g. `cfnCrawler.ref`. */
  readonly crawlerName: string;

  /**
   * How long the step waits for the crawl to end, in whole minutes. It bounds the state's
   * timeout only: Glue is not told, and a crawl still running when it elapses goes on.
   *
   * @default Duration.hours(12)
   */
  readonly timeout?: Duration;
}

/** A step that runs one crawl of a Glue crawler. Create it with `PipelineStep.glueCrawler()`. */
export class GlueCrawlerStep extends PipelineStep {
  public readonly waitMinutes: number;
  /** The crawler this step runs. */
  public readonly crawlerName: string;

  /** @internal */
  public readonly _glueAccess: GlueAccess = {
    actions: ['glue:StartCrawler', 'glue:ListCrawls', 'glue:StopCrawler'],
    resourceType: 'crawler',
  };

  constructor(props: GlueCrawlerStepProps) {
    const crawlerName = validateGlueName('glue crawler', props.crawlerName);
    super('glue-crawler', crawlerName, labelOf(crawlerName, 'crawler'), props);
    this.crawlerName = crawlerName;
    this.waitMinutes = waitMinutesOf(`step "${this.stepName}"`, props.timeout, DEFAULT_CRAWL_MINUTES);
  }

  /** @internal */
  public _taskFields(): StepTaskFields {
    return { kind: 'glue-crawler', crawlerName: this.crawlerName };
  }

  /** @internal */
  public _describe(): string {
    return `Runs Glue crawler ${this.label}`;
  }
}
