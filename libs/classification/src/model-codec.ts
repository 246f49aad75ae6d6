import { createHash } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import { TextClassifier } from '@cur/classifier';

/** Models are stored as gzip-compressed JSON model files. */
export function encodeModel(classifier: TextClassifier): Buffer {
  return gzipSync(Buffer.from(JSON.stringify(classifier.toJSON())), { level: 6 });
}

export function decodeModel(file: Buffer): TextClassifier {
  return TextClassifier.fromJSON(JSON.parse(gunzipSync(file).toString('utf8')));
}

/** Whether a message id falls in the held-back share: fixed per message, spread evenly. */
export function isHoldout(messageId: string, share: number): boolean {
  return createHash('sha256').update(messageId).digest().readUInt32BE(0) / 0x100000000 < share;
}
