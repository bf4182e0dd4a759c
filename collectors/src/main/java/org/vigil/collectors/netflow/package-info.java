/**
 * NetFlow v5, NetFlow v9 (RFC 3954) and IPFIX (RFC 7011) decoding as a pure function of bytes and a
 * caller-owned template store.
 *
 * <p>Use, per exporter (the Flink operator is keyed by exporter address plus source id):
 *
 * <pre>{@code
 * NetflowDecoder decoder = new NetflowDecoder();           // one per thread
 * NetflowMessage m = decoder.decode(datagram, store);      // throws NetflowDecodeException only
 * m.records()            // FlowRecord: flat ECS + netflow.* fields, ready for an Event
 * m.pending()            // data sets waiting for a template: hold them (bounded), count them
 * m.templatesLearned()   // when not empty, retry: decoder.decodePending(p, store)
 * m.sequenceNumber(), m.expectedNextSequence()   // count gaps per exporter and domain
 * m.samplingInterval()   // from the v5 header or options records; 0 = not said here
 * }</pre>
 *
 * <p>{@code observer.ip} (the exporter's address) is not in the payload; the caller adds it.
 */
package org.vigil.collectors.netflow;
