#!/usr/bin/env node
'use strict';
// Waits until a local single-node Kafka answers describeCluster() with exactly one broker.
// Usage: node deploy/kafka/wait-ready.js <host:port> [pid]
//   pid: the broker process; if it dies we stop waiting and exit 1 at once.
// Env:   KAFKA_READY_TIMEOUT_MS (default 60000).
// Exit:  0 ready, 1 timeout / process died / bad arguments. Creates and deletes nothing.

const fs = require('fs');
const { Kafka, logLevel } = require('kafkajs');

const POLL_INTERVAL_MS = 200;

const broker = process.argv[2];
const pid = process.argv[3] ? Number(process.argv[3]) : undefined;
const timeoutMs = Number(process.env.KAFKA_READY_TIMEOUT_MS || 60000);

if (!broker || (pid !== undefined && !Number.isInteger(pid)) || !(timeoutMs > 0)) {
  console.error('usage: wait-ready.js <host:port> [pid]   (KAFKA_READY_TIMEOUT_MS > 0)');
  process.exit(1);
}

function isAlive(p) {
  try {
    process.kill(p, 0);
  } catch (err) {
    if (err.code === 'EPERM') return true; // exists, owned by someone else
    return false;
  }
  // A dead child that its parent has not reaped yet still answers kill(0); treat zombies as dead.
  try {
    const stat = fs.readFileSync(`/proc/${p}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return true; // no procfs (macOS): trust kill(0)
  }
}

const delay = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function probe(kafka) {
  const admin = kafka.admin({ retry: { retries: 0 } });
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    return cluster.brokers.length;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

async function main() {
  const started = Date.now();
  const deadline = started + timeoutMs;
  const kafka = new Kafka({
    clientId: 'cur-kafka-wait-ready',
    brokers: [broker],
    logLevel: logLevel.NOTHING,
    connectionTimeout: 1000,
    requestTimeout: 3000,
    retry: { retries: 0 },
  });

  let lastError = 'no answer yet';
  for (;;) {
    if (pid !== undefined && !isAlive(pid)) {
      console.error(`wait-ready: broker process ${pid} exited before ${broker} became ready`);
      return 1;
    }
    try {
      const brokers = await probe(kafka);
      if (brokers === 1) {
        return 0;
      }
      lastError = `describeCluster() returned ${brokers} brokers`;
    } catch (err) {
      lastError = (err && err.message) || String(err);
    }
    if (Date.now() + POLL_INTERVAL_MS > deadline) {
      console.error(`wait-ready: ${broker} not ready after ${Date.now() - started} ms (${lastError})`);
      return 1;
    }
    await delay(POLL_INTERVAL_MS);
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error('wait-ready:', err);
    process.exit(1);
  },
);
