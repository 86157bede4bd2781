import { NumberValue } from '@aws-sdk/lib-dynamodb';
import { exactJsonText, parseExactJson, readDynamoNumber } from '../../src/lambda/entry/exact-json';

describe('exact JSON: numbers beyond 2^53 keep their digits', () => {
  it.each([
    ['123456789012345678901234567'],
    ['-9007199254740993'],
    ['9007199254740992'],
    ['1e400'],
    ['-1.5E+300'],
  ])('GIVEN %s WHEN parsed and written again THEN the text is unchanged', (digits) => {
    // GIVEN
    const text = `{"n":${digits},"list":[${digits}]}`;
    // WHEN
    const value = parseExactJson(text) as { n: unknown };
    // THEN
    expect(value.n).toBeInstanceOf(NumberValue);
    expect(exactJsonText(value)).toBe(text);
  });

  it('GIVEN safe numbers, and digits inside strings WHEN parsed THEN they are what JSON.parse makes of them', () => {
    // GIVEN
    const text = '{"a":9007199254740991,"b":-0.5,"c":1e3,"s":"123456789012345678901234567 \\" 99999999999999999999","t":true,"z":null}';
    // WHEN / THEN
    expect(parseExactJson(text)).toEqual(JSON.parse(text));
    expect(exactJsonText(parseExactJson(text))).toBe(JSON.stringify(JSON.parse(text)));
  });

  it('GIVEN text that is not JSON WHEN parsed THEN it throws as JSON.parse does, a big number or not', () => {
    expect(() => parseExactJson('{"n":0123456789012345678901}')).toThrow(SyntaxError);
    expect(() => parseExactJson('not json 123456789012345678901')).toThrow(SyntaxError);
    expect(() => parseExactJson('')).toThrow(SyntaxError);
  });

  it('GIVEN numbers read from DynamoDB WHEN beyond 2^53 THEN they stay exact; others are numbers', () => {
    expect(readDynamoNumber('42')).toBe(42);
    expect(readDynamoNumber('-0.25')).toBe(-0.25);
    expect(readDynamoNumber('123456789012345678901234567')).toEqual(NumberValue.from('123456789012345678901234567'));
  });
});
