import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, paginateQuery, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { legacyAttributes, TRANSITIONS } from './record-lifecycle';
import { heartbeatRoundKey, resultSortKey, resultsPartition, TrackingKeys, TrackingRecord, TrackingStatus, trackingPartition } from '../../shared/contract';
import { dynamo } from '../aws/clients';
import { extendedExpiry, resultSettled } from '../decisions/dependencies';

/** A record for this task already exists: another attempt took it. */
export class TaskAlreadyTrackedError extends Error {
  public readonly name = 'TaskAlreadyTrackedError';
}

/** The record is gone, or no longer in the state the write expected. */
export class RecordGoneError extends Error {
  public readonly name = 'RecordGoneError';
}

/**
 * DynamoDB access to the tracking table of one pipeline. Every transition is a conditional
 * write, safe to retry, so two invocations never both act on one record; the transitions and
 * the statuses each is allowed from are listed in record-lifecycle.ts.
 */
export class TrackingStore {
  private readonly partition: string;
  private readonly roundKey: Record<string, string>;

  constructor(private readonly tableName: string, private readonly pipelineId: string) {
    this.partition = trackingPartition(pipelineId);
    this.roundKey = heartbeatRoundKey(pipelineId);
  }

  /**
   * Records a task as it is taken, before anything is started: the intent to start it
   * (STARTING) or, for a step of a graph, that it waits (WAITING). Repeating the same write (an
   * SDK retry after a lost reply) succeeds; a record of another attempt wins.
   */
  public async recordIntent(record: TrackingRecord): Promise<void> {
    try {
      await dynamo.send(new PutCommand({
        TableName: this.tableName,
        Item: record,
        ConditionExpression: 'attribute_not_exists(#pk) OR (#status = :status AND #createdAt = :createdAt)',
        ExpressionAttributeNames: { '#pk': TrackingKeys.PARTITION_KEY, '#status': 'status', '#createdAt': 'createdAt' },
        ExpressionAttributeValues: { ':status': record.status, ':createdAt': record.createdAt },
      }));
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) {
        throw new TaskAlreadyTrackedError(`task ${record.tokenId} is already tracked`);
      }
      throw err;
    }
  }

  /**
   * Moves a record from STARTING to RUNNING with the Glue run id and releases its lease, noting
   * `runningSince` (epoch ms the work's start was sent: what an expected duration is measured
   * from) unless the record has it already. Repeating it with the same run id (an SDK retry
   * after a lost reply) succeeds and keeps the first `runningSince`.
   */
  public async markRunning(sk: string, runId: string, runningSince: number): Promise<void> {
    await this.update(sk,
      'SET #status = :running, #runId = :runId, #lease = :zero, #since = if_not_exists(#since, :since) REMOVE #next, #sent',
      'attribute_exists(#pk) AND (#status = :starting OR #runId = :runId)',
      { '#status': 'status', '#runId': 'runId', '#lease': 'leaseUntil', '#next': 'nextStartAt', '#sent': 'startSentAt', '#since': 'runningSince' },
      { ':running': TRANSITIONS.markRunning.to, ':starting': only(TRANSITIONS.markRunning.from), ':runId': runId, ':zero': 0, ':since': runningSince });
  }

  /**
   * Claims the announcement of a RUNNING record's attempt as late: notes `lateAnnouncedAt`
   * unless it is noted already. True for the one invocation that noted it (it sends the late
   * event and metric); false when another did, or the record is gone or no longer running.
   */
  public async markLateAnnounced(sk: string, at: number): Promise<boolean> {
    try {
      await this.update(sk,
        'SET #late = :at',
        'attribute_exists(#pk) AND #status = :running AND attribute_not_exists(#late)',
        { '#status': 'status', '#late': 'lateAnnouncedAt' },
        { ':at': at, ':running': only(TRANSITIONS.announceLate.from) });
      return true;
    } catch (err) {
      if (err instanceof RecordGoneError) {
        return false;
      }
      throw err;
    }
  }

  /**
   * Moves a RUNNING record on to a later attempt of its run (Glue ran the tracked run again,
   * per the job's MaxRetries). Only while the record tracks one of the `earlier` attempts, so a
   * late reader never moves it back; repeating it (it tracks `runId` already) succeeds. False
   * when the record is gone, being closed, or tracks no attempt of this run.
   */
  public async followAttempt(sk: string, earlier: readonly string[], runId: string): Promise<boolean> {
    const ids = [...earlier, runId];
    const names = ids.map((_, i) => `:run${i}`);
    try {
      await this.update(sk,
        'SET #runId = :runId',
        `attribute_exists(#pk) AND #status = :running AND #runId IN (${names.join(', ')})`,
        { '#status': 'status', '#runId': 'runId' },
        { ':running': only(TRANSITIONS.followAttempt.from), ':runId': runId, ...Object.fromEntries(ids.map((id, i) => [names[i], id])) });
      return true;
    } catch (err) {
      if (err instanceof RecordGoneError) {
        return false;
      }
      throw err;
    }
  }

  /** Notes facts of a CLOSING record's failure report (see `TrackingRecord`), in one write. */
  public async rememberFailure(sk: string, facts: readonly ('failureReportUnknown' | 'failureMailed' | 'failureAnnounced')[]): Promise<void> {
    if (facts.length === 0) {
      return;
    }
    await this.update(sk,
      `SET ${facts.map((_, i) => `#fact${i} = :true`).join(', ')}`,
      'attribute_exists(#pk) AND #status = :closing',
      { ...Object.fromEntries(facts.map((fact, i) => [`#fact${i}`, fact])), '#status': 'status' },
      { ':true': true, ':closing': only(TRANSITIONS.rememberFailure.from) });
  }

  /**
   * Records, before a start is sent, when it is sent (`startSentAt`), on a STARTING record this
   * invocation holds: should its answer be lost or the runner die, a later attempt knows where
   * to look. Throws when the record moved on; nothing was sent then.
   */
  public async markStartSent(sk: string, sentAt: number): Promise<void> {
    await this.update(sk,
      'SET #sent = :sent',
      'attribute_exists(#pk) AND #status = :starting',
      { '#sent': 'startSentAt', '#status': 'status' },
      { ':sent': sentAt, ':starting': only(TRANSITIONS.markStartSent.from) });
  }

  /**
   * A refused start waits until `nextStartAt`; the lease is released for whoever retries.
   * `startSentAt`: when a start that may have taken effect was sent (this one, its answer lost,
   * or an earlier one); the next attempt looks for its work around then. Unset: none can have.
   */
  public async deferStart(sk: string, startAttempts: number, nextStartAt: number, lastError: string, startSentAt?: number): Promise<void> {
    const sent = startSentAt === undefined ? {} : { ':sent': startSentAt };
    await this.update(sk,
      'SET #attempts = :attempts, #next = :next, #lastError = :lastError, #lease = :zero'
        + (startSentAt === undefined ? ' REMOVE #sent' : ', #sent = :sent'),
      'attribute_exists(#pk) AND #status = :starting',
      { '#attempts': 'startAttempts', '#next': 'nextStartAt', '#lastError': 'lastError', '#lease': 'leaseUntil', '#status': 'status', '#sent': 'startSentAt' },
      { ':attempts': startAttempts, ':next': nextStartAt, ':lastError': lastError, ':zero': 0, ':starting': only(TRANSITIONS.deferStart.from), ...sent });
  }

  /**
   * Takes the record for one transition: succeeds only if it is in one of `from`, no live lease
   * is held on it and no deferred start is still waiting; sets `to` and a lease until
   * `leaseUntil`. Returns the record's attributes as they now are (merge them over the copy
   * read from a page: it may be stale), or undefined when another invocation holds it or moved
   * it on. With `runId`, only a record tracking that run is taken.
   */
  public async claim(
    sk: string, from: readonly TrackingStatus[], to: TrackingStatus, leaseUntil: number, now: number, runId?: string,
  ): Promise<Partial<TrackingRecord> | undefined> {
    const names = from.map((_, i) => `:from${i}`);
    const ofRun: Record<string, string> = runId === undefined ? {} : { '#runId': 'runId' };
    try {
      const attributes = await this.update(sk,
        'SET #status = :to, #lease = :lease',
        `attribute_exists(#pk) AND #status IN (${names.join(', ')}) AND (attribute_not_exists(#lease) OR #lease < :now)`
          + ' AND (attribute_not_exists(#next) OR #next <= :now)'
          + (runId === undefined ? '' : ' AND #runId = :runId'),
        { '#status': 'status', '#lease': 'leaseUntil', '#next': 'nextStartAt', ...ofRun },
        {
          ':to': to,
          ':lease': leaseUntil,
          ':now': now,
          ...Object.fromEntries(from.map((s, i) => [names[i], s])),
          ...(runId === undefined ? {} : { ':runId': runId }),
        },
        'ALL_NEW');
      return (attributes ?? {}) as Partial<TrackingRecord>;
    } catch (err) {
      if (err instanceof RecordGoneError) {
        return undefined;
      }
      throw err;
    }
  }

  public async remove(sk: string): Promise<void> {
    await dynamo.send(new DeleteCommand({ TableName: this.tableName, Key: this.key(sk) }));
  }

  /** Epoch ms of the pipeline's last complete heartbeat round; 0 when there was none. */
  public async heartbeatRound(): Promise<number> {
    const res = await dynamo.send(new GetCommand({ TableName: this.tableName, Key: this.roundKey, ConsistentRead: true }));
    const at = res.Item?.roundAt;
    return typeof at === 'number' ? at : 0;
  }

  /**
   * Stores a complete round's time. Never moves it back: of two overlapping sweeps, the later
   * round stands.
   */
  public async recordHeartbeatRound(roundAt: number): Promise<void> {
    try {
      await dynamo.send(new PutCommand({
        TableName: this.tableName,
        Item: { ...this.roundKey, roundAt },
        ConditionExpression: 'attribute_not_exists(#pk) OR #at < :at',
        ExpressionAttributeNames: { '#pk': TrackingKeys.PARTITION_KEY, '#at': 'roundAt' },
        ExpressionAttributeValues: { ':at': roundAt },
      }));
    } catch (err) {
      if (!(err instanceof ConditionalCheckFailedException)) {
        throw err;
      }
    }
  }

  /**
   * Keeps a step's result for the execution's later steps (those that wait for it or refer to
   * it) until `expiresAt` (epoch seconds). Written before the step's success is reported, so a
   * step that the state machine saw succeed always has its result here. Overwrites: a retried
   * report writes the same result again.
   *
   * The result stays unconfirmed until `confirmResult` (the state machine accepted the success)
   * or until `unconfirmedUntil` (epoch ms): meanwhile the state machine may still dispatch the
   * step again (its token ran out before the success reached it), so the step is not counted as
   * done when the runner plans its polls (see `resultSettled`).
   */
  public async keepResult(
    executionId: string, stepName: string, output: Record<string, unknown>, expiresAt: number, unconfirmedUntil?: number, lifeSeconds?: number,
  ): Promise<void> {
    await dynamo.send(new PutCommand({
      TableName: this.tableName,
      Item: {
        [TrackingKeys.PARTITION_KEY]: resultsPartition(this.pipelineId, executionId),
        [TrackingKeys.SORT_KEY]: resultSortKey(stepName),
        [TrackingKeys.TTL_ATTRIBUTE]: expiresAt,
        // How long the result lasts: a redrive renews it for as long again (extendResults).
        ...(lifeSeconds === undefined ? {} : { lifeSeconds }),
        stepName,
        output,
        ...(unconfirmedUntil === undefined ? {} : { unconfirmedUntil }),
      },
    }));
  }

  /** The state machine accepted the step's success: its kept result counts as done from now on. */
  public async confirmResult(executionId: string, stepName: string): Promise<void> {
    try {
      await dynamo.send(new UpdateCommand({
        TableName: this.tableName,
        Key: { [TrackingKeys.PARTITION_KEY]: resultsPartition(this.pipelineId, executionId), [TrackingKeys.SORT_KEY]: resultSortKey(stepName) },
        UpdateExpression: 'REMOVE unconfirmedUntil',
        ConditionExpression: 'attribute_exists(#pk)',
        ExpressionAttributeNames: { '#pk': TrackingKeys.PARTITION_KEY },
      }));
    } catch (err) {
      if (!(err instanceof ConditionalCheckFailedException)) {
        throw err;
      }
    }
  }

  /** One step's kept result, if it has one that has not expired. */
  public async keptResult(executionId: string, stepName: string, now: number): Promise<Record<string, unknown> | undefined> {
    const res = await dynamo.send(new GetCommand({
      TableName: this.tableName,
      Key: { [TrackingKeys.PARTITION_KEY]: resultsPartition(this.pipelineId, executionId), [TrackingKeys.SORT_KEY]: resultSortKey(stepName) },
      ConsistentRead: true,
    }));
    const item = res.Item;
    return item && Number(item[TrackingKeys.TTL_ATTRIBUTE]) * 1000 > now ? item.output as Record<string, unknown> : undefined;
  }

  /**
   * How many of an execution's steps are done for the poll plan: kept results whose success
   * the state machine accepted, or may be taken to have (see `resultSettled`).
   */
  public async settledResults(executionId: string, now: number): Promise<number> {
    let settled = 0;
    for await (const items of this.partitionPages(resultsPartition(this.pipelineId, executionId))) {
      settled += items.filter((item) => Number(item[TrackingKeys.TTL_ATTRIBUTE]) * 1000 > now
        && resultSettled(item.unconfirmedUntil as number | undefined, now)).length;
    }
    return settled;
  }

  /**
   * Renews the execution's kept results for a redrive: each one still kept lasts its life again
   * from `now` (see `extendedExpiry`), by a conditional write that never shortens it. Returns how
   * many were renewed, and how many were found already expired (kept too short: TTL had not
   * deleted them yet).
   */
  public async extendResults(executionId: string, now: number): Promise<{ extended: number; expired: number }> {
    const counts = { extended: 0, expired: 0 };
    for await (const items of this.partitionPages(resultsPartition(this.pipelineId, executionId))) {
      for (const item of items) {
        const expiresAt = Number(item[TrackingKeys.TTL_ATTRIBUTE]);
        if (expiresAt * 1000 <= now) {
          counts.expired++;
          continue;
        }
        const until = extendedExpiry({ expiresAt, lifeSeconds: item.lifeSeconds as number | undefined }, now);
        if (until === undefined) {
          continue;
        }
        try {
          await dynamo.send(new UpdateCommand({
            TableName: this.tableName,
            Key: { [TrackingKeys.PARTITION_KEY]: item[TrackingKeys.PARTITION_KEY], [TrackingKeys.SORT_KEY]: item[TrackingKeys.SORT_KEY] },
            UpdateExpression: 'SET #ttl = :until',
            ConditionExpression: '#ttl < :until',
            ExpressionAttributeNames: { '#ttl': TrackingKeys.TTL_ATTRIBUTE },
            ExpressionAttributeValues: { ':until': until },
          }));
          counts.extended++;
        } catch (err) {
          // Another task of the redrive renewed it first.
          if (!(err instanceof ConditionalCheckFailedException)) {
            throw err;
          }
        }
      }
    }
    return counts;
  }

  /** The kept results of an execution's steps, by step name (expired ones left out). */
  public async results(executionId: string, now: number): Promise<Map<string, Record<string, unknown>>> {
    const results = new Map<string, Record<string, unknown>>();
    for await (const items of this.partitionPages(resultsPartition(this.pipelineId, executionId))) {
      for (const item of items) {
        if (Number(item[TrackingKeys.TTL_ATTRIBUTE]) * 1000 > now) {
          results.set(String(item.stepName), item.output as Record<string, unknown>);
        }
      }
    }
    return results;
  }

  /** Every record of this pipeline, one DynamoDB page at a time, following every page. */
  public async *pages(pageSize?: number): AsyncGenerator<TrackingRecord[]> {
    for await (const items of this.partitionPages(this.partition, pageSize)) {
      yield await Promise.all(items.map((item) => this.renamingLegacy(item)));
    }
  }

  /**
   * The record with the attribute names of today. A record with old names (`RENAMED_ATTRIBUTES`)
   * is renamed in the table first, so every later conditional write finds the names it tests;
   * if another invocation renamed or removed it meanwhile, the record as read is used.
   */
  private async renamingLegacy(item: Record<string, unknown>): Promise<TrackingRecord> {
    const legacy = legacyAttributes(item);
    if (legacy.length === 0) {
      return item as unknown as TrackingRecord;
    }
    const names: Record<string, string> = {};
    const renamed: Record<string, unknown> = { ...item };
    legacy.forEach(([old, now], i) => {
      names[`#old${i}`] = old;
      names[`#new${i}`] = now;
      renamed[now] = item[old];
      delete renamed[old];
    });
    try {
      await this.update(String(item[TrackingKeys.SORT_KEY]),
        `SET ${legacy.map((_, i) => `#new${i} = #old${i}`).join(', ')} REMOVE ${legacy.map((_, i) => `#old${i}`).join(', ')}`,
        `attribute_exists(#pk) AND ${legacy.map((_, i) => `attribute_exists(#old${i})`).join(' AND ')}`,
        names, {});
    } catch (err) {
      if (!(err instanceof RecordGoneError)) {
        throw err;
      }
    }
    return renamed as unknown as TrackingRecord;
  }

  /** The items of one partition, one consistent page at a time, following every page. */
  private async *partitionPages(partition: string, pageSize?: number): AsyncGenerator<Record<string, unknown>[]> {
    for await (const res of paginateQuery({ client: dynamo, pageSize }, {
      TableName: this.tableName,
      KeyConditionExpression: '#pk = :pk',
      ExpressionAttributeNames: { '#pk': TrackingKeys.PARTITION_KEY },
      ExpressionAttributeValues: { ':pk': partition },
      ConsistentRead: true,
    })) {
      yield res.Items ?? [];
    }
  }

  private async update(sk: string, expression: string, condition: string, names: Record<string, string>, values: Record<string, unknown>,
    returnValues?: 'ALL_NEW') {
    try {
      const res = await dynamo.send(new UpdateCommand({
        TableName: this.tableName,
        Key: this.key(sk),
        UpdateExpression: expression,
        ConditionExpression: condition,
        ExpressionAttributeNames: { '#pk': TrackingKeys.PARTITION_KEY, ...names },
        // DynamoDB refuses an empty map of values.
        ExpressionAttributeValues: Object.keys(values).length > 0 ? values : undefined,
        ReturnValues: returnValues,
      }));
      return res.Attributes;
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) {
        throw new RecordGoneError(`record ${sk} is gone or was moved on by another invocation`);
      }
      throw err;
    }
  }

  private key(sk: string) {
    return { [TrackingKeys.PARTITION_KEY]: this.partition, [TrackingKeys.SORT_KEY]: sk };
  }
}

/** The one status a transition starts from, for a condition written `#status = :status`. */
function only(from: readonly [TrackingStatus]): TrackingStatus {
  return from[0];
}
