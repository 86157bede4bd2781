import { ANY_STEP_ERRORS, StepErrorNames } from '../error-names';
import type { StepKindSpec } from '../kind-spec';
import type { TaskInputCommon } from '../task-input-common';

/** EventBridge detail-type of Glue's event that a crawler's crawl changed state. */
export const GLUE_CRAWLER_STATE_CHANGE = 'Glue Crawler State Change';

/** A step that runs one crawl of a Glue crawler. */
export interface GlueCrawlerTaskInput extends TaskInputCommon {
  readonly kind: 'glue-crawler';
  readonly crawlerName: string;
}

/** What a crawler step's success sends: its result. */
export interface GlueCrawlerResult {
  readonly stepName: string;
  readonly crawlerName: string;
  readonly crawlId?: string;
  readonly state: 'SUCCEEDED';
  readonly startedOn?: string;
  readonly completedOn?: string;
  readonly logGroup?: string;
  readonly logStream?: string;
}

export const GLUE_CRAWLER: StepKindSpec<GlueCrawlerTaskInput, GlueCrawlerResult> = {
  kind: 'glue-crawler',
  targetField: 'crawlerName',
  resource: 'crawler',
  fields: { crawlerName: 'name' },
  resultFields: {
    stepName: true, crawlerName: true, crawlId: true, state: true, startedOn: true, completedOn: true, logGroup: true, logStream: true,
  },
  errors: [StepErrorNames.CRAWLER_FAILED, StepErrorNames.CRAWLER_CANCELLED, StepErrorNames.RUN_NOT_FOUND, ...ANY_STEP_ERRORS],
  endEvent: {
    detailType: GLUE_CRAWLER_STATE_CHANGE,
    nameField: 'crawlerName',
    states: ['Succeeded', 'Failed'],
    ruleId: 'CrawlEnded',
    ruleDescription: 'Invokes the pipeline runner when a crawl of one of its Glue crawlers ends',
  },
  console: {
    page: { console: 'glue', fragment: '/v2/data-catalog/crawlers/view/{name}' },
    logs: { output: { group: '/aws-glue/crawlers', streamNamedBy: 'resourceName' } },
  },
};
