/**
 * hexlog on NATS JetStream as a library (`import … from "hexlog/nats"`): the worker `hexlog
 * consume` runs and the raw publisher behind `serve --publish-raw`. A subpath of its own, so
 * programs that only normalize never load the NATS client.
 */
export { connectNats, describeConnectError, type NatsAuth, type NatsTarget, type Connected } from "./server/nats.js";
export { openConsumer, NatsConsumer, ConsumeStats, fitDeadLetter, type ConsumerOptions, type ConsumerEvents, type Opened } from "./server/consume.js";
export { openRawPublisher, parseRawTarget, type RawPublisher, type RawTarget } from "./server/publish-raw.js";
export { AckedPublisher, type Publish, type GroupResult } from "./server/acked-publish.js";
export { SequenceRowIds } from "./engine/rowid.js";
