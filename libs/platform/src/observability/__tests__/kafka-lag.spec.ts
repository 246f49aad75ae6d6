import { consumerLag } from '../kafka-admin';

describe('consumer lag', () => {
  const watermarks = new Map([
    [
      'cur.message.received',
      [
        { partition: 0, low: '0', high: '120' },
        { partition: 1, low: '10', high: '40' },
        { partition: 2, low: '5', high: '5' },
      ],
    ],
    ['cur.message.routed', [{ partition: 0, low: '0', high: '9' }]],
  ]);

  it('is the high watermark minus the committed offset, per partition of every topic the group committed on', () => {
    const committed = [
      {
        topic: 'cur.message.received',
        partitions: [
          { partition: 0, offset: '100' },
          { partition: 1, offset: '40' },
          { partition: 2, offset: '5' },
        ],
      },
    ];
    expect(consumerLag('cur-triage', committed, watermarks)).toEqual([
      { group: 'cur-triage', topic: 'cur.message.received', partition: 0, lag: 20 },
      { group: 'cur-triage', topic: 'cur.message.received', partition: 1, lag: 0 },
      { group: 'cur-triage', topic: 'cur.message.received', partition: 2, lag: 0 },
    ]);
  });

  it('counts a partition without a commit from its low watermark, where a consumer reading from the beginning starts', () => {
    const committed = [{ topic: 'cur.message.received', partitions: [{ partition: 0, offset: '-1' }] }];
    expect(consumerLag('cur-triage', committed, watermarks).map((l) => l.lag)).toEqual([120, 30, 0]);
  });

  it('never reports a negative lag (a committed offset read after a newer watermark)', () => {
    const committed = [{ topic: 'cur.message.routed', partitions: [{ partition: 0, offset: '12' }] }];
    expect(consumerLag('cur-sla', committed, watermarks)).toEqual([{ group: 'cur-sla', topic: 'cur.message.routed', partition: 0, lag: 0 }]);
  });
});
