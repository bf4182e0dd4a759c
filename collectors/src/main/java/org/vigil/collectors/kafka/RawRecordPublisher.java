package org.vigil.collectors.kafka;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vigil.model.Envelope;
import org.vigil.model.Protocol;
import org.vigil.model.Transport;

/**
 * Publishes raw records (wire bytes plus {@link Envelope} headers) to Kafka from Netty event loops,
 * and tells the collectors when to stop reading.
 *
 * <h2>Backpressure</h2>
 *
 * <p>The publisher counts the bytes it has handed to the producer and not yet seen acknowledged.
 * When they reach the high watermark it is <em>congested</em> and tells its {@link
 * CongestionListener}s, so TCP channels stop reading ({@code setAutoRead(false)}) and the kernel
 * pushes back on the senders; once acknowledgements bring them down to the low watermark it is
 * drained again and reading resumes. The gap between the marks keeps channels from flapping.
 *
 * <h2>Why the event loop never waits on Kafka</h2>
 *
 * <p>{@link Producer#send} blocks its caller for up to {@code max.block.ms} while it fetches
 * metadata for a new topic or waits for room in a full buffer. On an event loop that would freeze
 * every connection the loop serves, so {@link #create} sets {@code max.block.ms} to a few
 * milliseconds and keeps the high watermark far below {@code buffer.memory}: under load TCP reading
 * stops long before the buffer fills. When a send still times out (Kafka unreachable, metadata not
 * yet known after start-up) the record is not dropped: the publisher <em>stalls</em> — it counts as
 * congested, queues that record and every later one in order, and a thread of its own re-sends
 * them, where blocking harms nobody, until Kafka takes them again. TCP channels stop reading
 * meanwhile, so the queue holds at most the frames already read; UDP callers keep publishing, and
 * records beyond {@code maxQueuedBytes} fail fast, to be counted as dropped. {@link #awaitTopic}
 * loads a topic's metadata before a collector opens its port, so the first records do not stall.
 *
 * <p>Records fail (future completed exceptionally, {@link #failedCount()} incremented) when Kafka
 * refuses them for good (too large, not authorised) or when they cannot be queued. An outage alone
 * fails nothing: the producer's {@code delivery.timeout.ms} is unbounded, so what it holds waits
 * for the broker, however long.
 */
public final class RawRecordPublisher implements AutoCloseable {

  /** Stop reading from TCP senders when this much is unacknowledged. */
  public static final long DEFAULT_HIGH_WATERMARK_BYTES = 16L * 1024 * 1024;

  /** Resume reading when unacknowledged bytes fall to this. */
  public static final long DEFAULT_LOW_WATERMARK_BYTES = 4L * 1024 * 1024;

  /** The producer's buffer, four times the high watermark so a send never waits for room. */
  static final long BUFFER_MEMORY_BYTES = 64L * 1024 * 1024;

  private static final Logger LOG = LoggerFactory.getLogger(RawRecordPublisher.class);
  private static final long MAX_RETRY_BACKOFF_MILLIS = 2_000;

  /** Called on every change between congested and drained. */
  @FunctionalInterface
  public interface CongestionListener {
    /**
     * Runs on whichever thread caused the change (an event loop or the producer's I/O thread), so
     * it must be quick and must not block; re-read {@link #isCongested()} on the thread that acts,
     * since notifications from different threads may arrive out of order.
     */
    void congestionChanged(boolean congested);
  }

  private final Producer<byte[], byte[]> producer;
  private final long highWatermarkBytes;
  private final long lowWatermarkBytes;
  private final long maxQueuedBytes;
  private final List<CongestionListener> listeners = new CopyOnWriteArrayList<>();
  private final AtomicLong published = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private volatile LongConsumer sendLatencyListener;

  private final Object lock = new Object();
  // Guarded by lock.
  private long bytesInFlight;
  private boolean congested;
  private boolean stalled;
  private boolean closed;
  private final Deque<Pending> queue = new ArrayDeque<>();
  private long queuedBytes;
  private Thread retrier;

  /** Wraps a producer with the default watermarks. */
  public RawRecordPublisher(Producer<byte[], byte[]> producer) {
    this(producer, DEFAULT_HIGH_WATERMARK_BYTES, DEFAULT_LOW_WATERMARK_BYTES);
  }

  /**
   * @param producer sends the records; the publisher closes it on {@link #close()}
   * @param highWatermarkBytes unacknowledged bytes at which the publisher becomes congested
   * @param lowWatermarkBytes unacknowledged bytes at which it is drained again
   */
  public RawRecordPublisher(
      Producer<byte[], byte[]> producer, long highWatermarkBytes, long lowWatermarkBytes) {
    this.producer = Objects.requireNonNull(producer, "producer");
    if (lowWatermarkBytes < 0 || highWatermarkBytes <= lowWatermarkBytes) {
      throw new IllegalArgumentException(
          "watermarks need 0 <= low < high, got low="
              + lowWatermarkBytes
              + " high="
              + highWatermarkBytes);
    }
    this.highWatermarkBytes = highWatermarkBytes;
    this.lowWatermarkBytes = lowWatermarkBytes;
    this.maxQueuedBytes = 2 * highWatermarkBytes;
  }

  /**
   * A publisher with its own {@link KafkaProducer}, configured for a collector: durable ({@code
   * acks=all}, idempotent, so retries neither lose nor duplicate nor reorder within a partition),
   * LZ4-compressed (cheapest CPU per byte on the collector; pure-Java fallback, where zstd needs a
   * native library unpacked to a temp folder), batched for many small messages ({@code
   * linger.ms=5}, 256 KiB batches), never giving up on a record during an outage ({@code
   * delivery.timeout.ms} unbounded), and never blocking a caller for more than {@code
   * max.block.ms=10}.
   *
   * @param bootstrapServers Kafka's {@code bootstrap.servers}
   * @param clientId names the producer in broker logs and metrics, e.g. the collector id
   * @param overrides further producer settings (security, timeouts); they win over the defaults
   */
  public static RawRecordPublisher create(
      String bootstrapServers, String clientId, Map<String, Object> overrides) {
    return new RawRecordPublisher(
        new KafkaProducer<>(producerConfig(bootstrapServers, clientId, overrides)));
  }

  static Map<String, Object> producerConfig(
      String bootstrapServers, String clientId, Map<String, Object> overrides) {
    Map<String, Object> config = new HashMap<>();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    config.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
    config.put(ProducerConfig.BUFFER_MEMORY_CONFIG, BUFFER_MEMORY_BYTES);
    config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10);
    // A record in the producer's buffer was read from a sender's socket: the sender counts it as
    // delivered. Kafka's default gives up on it after two minutes of outage; wait for the broker
    // instead. The bounded buffer then fills, sends stall for max.block.ms, and TCP stops reading.
    config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Integer.MAX_VALUE);
    config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    config.putAll(overrides);
    return config;
  }

  /**
   * Sends one raw record. Never blocks for longer than the producer's {@code max.block.ms}.
   *
   * @param key decides the partition; collectors pass the sender's address so one sender's records
   *     stay in order
   * @return completes when Kafka acknowledged the record, exceptionally when it was lost
   */
  public CompletableFuture<Void> publish(String topic, byte[] key, byte[] value, Envelope env) {
    return publish(topic, key, value, env, Map.of());
  }

  /** As {@link #publish(String, byte[], byte[], Envelope)}, with headers beyond the envelope's. */
  public CompletableFuture<Void> publish(
      String topic, byte[] key, byte[] value, Envelope env, Map<String, byte[]> extraHeaders) {
    ProducerRecord<byte[], byte[]> record =
        new ProducerRecord<>(
            topic, null, key, value, new RecordHeaders(headers(env, extraHeaders)));
    LongConsumer latencyListener = sendLatencyListener;
    Pending pending =
        new Pending(
            record,
            sizeOf(key) + sizeOf(value),
            new CompletableFuture<>(),
            latencyListener,
            latencyListener == null ? 0 : System.nanoTime());

    boolean queued;
    boolean becameCongested;
    synchronized (lock) {
      if (closed) {
        failed.incrementAndGet();
        pending.future.completeExceptionally(new IllegalStateException("publisher is closed"));
        return pending.future;
      }
      queued = stalled;
      if (queued && queuedBytes + pending.bytes > maxQueuedBytes) {
        failed.incrementAndGet();
        pending.future.completeExceptionally(
            new TimeoutException("Kafka is not accepting records and the retry queue is full"));
        return pending.future;
      }
      bytesInFlight += pending.bytes;
      if (queued) {
        queue.addLast(pending);
        queuedBytes += pending.bytes;
      }
      // One lock round per record: this runs for every message on the event loops.
      becameCongested = turnCongestedIfNeeded();
    }
    if (!queued && !trySend(pending)) {
      stall(pending);
      becameCongested |= updateCongestion();
    }
    if (becameCongested) {
      notifyListeners(true);
    }
    return pending.future;
  }

  /**
   * Waits until the producer knows the topic's partitions, so that the first records sent after
   * start-up do not stall on metadata.
   *
   * @throws IllegalStateException naming the topic when Kafka does not answer in time
   */
  public void awaitTopic(String topic, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      try {
        producer.partitionsFor(topic);
        return;
      } catch (TimeoutException notYet) {
        // max.block.ms is short on purpose; keep asking until the deadline
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "Kafka did not report topic "
                + topic
                + " within "
                + timeout.toSeconds()
                + " s: check that Kafka runs and the topic exists");
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for topic " + topic, e);
      }
    }
  }

  /** True while TCP collectors should not read: too much is unacknowledged or Kafka is stalled. */
  public boolean isCongested() {
    synchronized (lock) {
      return congested;
    }
  }

  /** Bytes handed to the publisher and not yet acknowledged or failed. */
  public long bytesInFlight() {
    synchronized (lock) {
      return bytesInFlight;
    }
  }

  public void addCongestionListener(CongestionListener listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  public void removeCongestionListener(CongestionListener listener) {
    listeners.remove(listener);
  }

  /**
   * Observes, for every record Kafka acknowledges, the nanoseconds from {@link #publish} to the
   * acknowledgement, time spent queued while Kafka was stalled included. Failed records are not
   * observed: they are counted in {@link #failedCount()}. Only records published after the call are
   * timed; without a listener no clock is read.
   *
   * @param listener runs on the producer's I/O thread (or the caller's, for a record completed
   *     inside {@code send}), so it must be quick and must not block; null stops observing
   */
  public void setSendLatencyListener(LongConsumer listener) {
    sendLatencyListener = listener;
  }

  /** Records Kafka acknowledged. */
  public long publishedCount() {
    return published.get();
  }

  /** Records that were lost: refused, or given up on by the producer. */
  public long failedCount() {
    return failed.get();
  }

  /**
   * Waits until every record published so far is acknowledged or failed, including records queued
   * while Kafka was stalled.
   */
  public void flush() {
    synchronized (lock) {
      while (stalled && !closed) {
        try {
          lock.wait(100);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
    producer.flush();
  }

  /** Closes the producer, waiting up to 30 s for records in flight. */
  @Override
  public void close() {
    close(Duration.ofSeconds(30));
  }

  /** Fails what is still queued, and closes the producer waiting up to {@code timeout}. */
  public void close(Duration timeout) {
    Thread stopping;
    Deque<Pending> abandoned;
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      stopping = retrier;
      abandoned = new ArrayDeque<>(queue);
      queue.clear();
      queuedBytes = 0;
      lock.notifyAll();
    }
    if (stopping != null) {
      stopping.interrupt();
      try {
        stopping.join(timeout.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    for (Pending pending : abandoned) {
      complete(pending, new IllegalStateException("publisher closed before Kafka took the record"));
    }
    producer.close(timeout);
  }

  /**
   * Hands a record to the producer.
   *
   * @return false when the producer could not take it within {@code max.block.ms}; the record is
   *     then neither completed nor counted
   */
  private boolean trySend(Pending pending) {
    SendCallback callback = new SendCallback(pending);
    try {
      producer.send(pending.record, callback);
    } catch (TimeoutException e) {
      return false;
    } catch (RuntimeException e) {
      complete(pending, e);
      return true;
    } finally {
      callback.returned = true;
    }
    return !callback.blocked;
  }

  /** Whether the callback ran inside {@code send} with a timeout, i.e. {@code max.block.ms} hit. */
  private final class SendCallback implements org.apache.kafka.clients.producer.Callback {
    private final Pending pending;
    private final Thread caller = Thread.currentThread();
    private volatile boolean returned;
    private boolean blocked;

    SendCallback(Pending pending) {
      this.pending = pending;
    }

    @Override
    public void onCompletion(
        org.apache.kafka.clients.producer.RecordMetadata metadata, Exception exception) {
      if (exception instanceof TimeoutException && !returned && Thread.currentThread() == caller) {
        blocked = true;
        return;
      }
      complete(pending, exception);
    }
  }

  private void stall(Pending pending) {
    synchronized (lock) {
      if (closed) {
        abandon(pending);
        return;
      }
      queue.addFirst(pending);
      queuedBytes += pending.bytes;
      if (stalled) {
        return;
      }
      stalled = true;
      retrier = new Thread(this::retryQueued, "vigil-kafka-retry");
      retrier.setDaemon(true);
      retrier.start();
    }
    LOG.warn(
        "Kafka did not take a record within max.block.ms; holding records and retrying"
            + " (TCP senders are paused meanwhile)");
  }

  /** Re-sends stalled records in order, on its own thread, until the queue is empty. */
  private void retryQueued() {
    long backoff = 10;
    while (true) {
      Pending next;
      synchronized (lock) {
        if (closed) {
          return;
        }
        next = queue.pollFirst();
        if (next != null) {
          queuedBytes -= next.bytes;
        } else {
          stalled = false;
          retrier = null;
          lock.notifyAll();
          break;
        }
      }
      if (trySend(next)) {
        backoff = 10;
        continue;
      }
      synchronized (lock) {
        if (closed) {
          abandon(next);
          return;
        }
        queue.addFirst(next);
        queuedBytes += next.bytes;
      }
      try {
        TimeUnit.MILLISECONDS.sleep(backoff);
      } catch (InterruptedException e) {
        return;
      }
      backoff = Math.min(backoff * 2, MAX_RETRY_BACKOFF_MILLIS);
    }
    LOG.info("Kafka is taking records again");
    if (updateCongestionAfterDrain()) {
      notifyListeners(false);
    }
  }

  private void complete(Pending pending, Exception exception) {
    if (exception == null) {
      published.incrementAndGet();
      if (pending.latencyListener != null) {
        observeLatency(pending);
      }
      pending.future.complete(null);
    } else {
      failed.incrementAndGet();
      pending.future.completeExceptionally(exception);
    }
    boolean drained;
    synchronized (lock) {
      bytesInFlight -= pending.bytes;
      drained = turnDrainedIfPossible();
    }
    if (drained) {
      notifyListeners(false);
    }
  }

  /**
   * @return true when this call turned the publisher congested
   */
  private boolean updateCongestion() {
    synchronized (lock) {
      return turnCongestedIfNeeded();
    }
  }

  /** As {@link #updateCongestion()}; called holding the lock. */
  private boolean turnCongestedIfNeeded() {
    if (!congested && (stalled || bytesInFlight >= highWatermarkBytes)) {
      congested = true;
      return true;
    }
    return false;
  }

  /**
   * @return true when this call turned the publisher drained
   */
  private boolean updateCongestionAfterDrain() {
    synchronized (lock) {
      return turnDrainedIfPossible();
    }
  }

  /** As {@link #updateCongestionAfterDrain()}; called holding the lock. */
  private boolean turnDrainedIfPossible() {
    if (congested && !stalled && bytesInFlight <= lowWatermarkBytes) {
      congested = false;
      return true;
    }
    return false;
  }

  /**
   * The same headers, in the same order, as {@link Envelope#toHeaders()} followed by {@code extra},
   * without its map and its six string encodings per record: the protocol, transport and collector
   * id bytes are the same for every record of a collector, and the peer address for every record of
   * a sender, so their bytes are kept. Header values are only read by the producer, so sharing them
   * between records is safe.
   */
  static Header[] headers(Envelope env, Map<String, byte[]> extra) {
    Header[] headers = new Header[ENVELOPE_HEADER_COUNT + extra.size()];
    headers[0] = PROTOCOL_HEADERS.get(env.protocol());
    headers[1] = TRANSPORT_HEADERS.get(env.transport());
    headers[2] =
        new RecordHeader(Envelope.HEADER_PEER_ADDRESS, PEER_ADDRESSES.utf8(env.peerAddress()));
    headers[3] = new RecordHeader(Envelope.HEADER_PEER_PORT, PEER_PORTS.digits(env.peerPort()));
    headers[4] =
        new RecordHeader(Envelope.HEADER_RECEIVED_AT, RECEIVED_AT.digits(env.receivedAtMillis()));
    headers[5] =
        new RecordHeader(Envelope.HEADER_COLLECTOR_ID, COLLECTOR_IDS.utf8(env.collectorId()));
    int i = ENVELOPE_HEADER_COUNT;
    for (Map.Entry<String, byte[]> header : extra.entrySet()) {
      headers[i++] = new RecordHeader(header.getKey(), header.getValue());
    }
    return headers;
  }

  private static final int ENVELOPE_HEADER_COUNT = 6;

  private static final Map<Protocol, Header> PROTOCOL_HEADERS = new EnumMap<>(Protocol.class);
  private static final Map<Transport, Header> TRANSPORT_HEADERS = new EnumMap<>(Transport.class);

  static {
    for (Protocol protocol : Protocol.values()) {
      PROTOCOL_HEADERS.put(
          protocol,
          new RecordHeader(
              Envelope.HEADER_PROTOCOL, protocol.wireName().getBytes(StandardCharsets.UTF_8)));
    }
    for (Transport transport : Transport.values()) {
      TRANSPORT_HEADERS.put(
          transport,
          new RecordHeader(
              Envelope.HEADER_TRANSPORT, transport.wireName().getBytes(StandardCharsets.UTF_8)));
    }
  }

  private static final Utf8Cache PEER_ADDRESSES = new Utf8Cache();
  private static final Utf8Cache COLLECTOR_IDS = new Utf8Cache();
  private static final DigitsCache PEER_PORTS = new DigitsCache();
  private static final DigitsCache RECEIVED_AT = new DigitsCache();

  /**
   * Remembers the decimal digits of the last number written: many records in a row are received
   * within one millisecond, and a sender's records come from one port.
   */
  private static final class DigitsCache {
    private record Entry(long value, byte[] digits) {}

    private volatile Entry last = new Entry(0, "0".getBytes(StandardCharsets.US_ASCII));

    byte[] digits(long value) {
      Entry entry = last;
      if (entry.value == value) {
        return entry.digits;
      }
      byte[] digits = Long.toString(value).getBytes(StandardCharsets.US_ASCII);
      last = new Entry(value, digits);
      return digits;
    }
  }

  /**
   * Remembers the UTF-8 bytes of the last string encoded: a collector has one id, and a sender's
   * records come in runs. Racing threads at worst encode again.
   */
  private static final class Utf8Cache {
    private record Entry(String text, byte[] bytes) {}

    private volatile Entry last = new Entry("", new byte[0]);

    byte[] utf8(String text) {
      Entry entry = last;
      if (entry.text == text || entry.text.equals(text)) {
        return entry.bytes;
      }
      byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
      last = new Entry(text, bytes);
      return bytes;
    }
  }

  private static void observeLatency(Pending pending) {
    try {
      pending.latencyListener.accept(System.nanoTime() - pending.publishedAtNanos);
    } catch (RuntimeException e) {
      LOG.warn("send latency listener failed", e);
    }
  }

  private void notifyListeners(boolean nowCongested) {
    for (CongestionListener listener : listeners) {
      try {
        listener.congestionChanged(nowCongested);
      } catch (RuntimeException e) {
        LOG.warn("congestion listener failed", e);
      }
    }
  }

  /** Fails a record that raced with {@link #close}; called holding the lock. */
  private void abandon(Pending pending) {
    failed.incrementAndGet();
    bytesInFlight -= pending.bytes;
    pending.future.completeExceptionally(
        new IllegalStateException("publisher closed before Kafka took the record"));
  }

  private static int sizeOf(byte[] bytes) {
    return bytes == null ? 0 : bytes.length;
  }

  /**
   * @param latencyListener the listener set when the record was published, null when none was
   * @param publishedAtNanos {@link System#nanoTime()} at publish; meaningless without a listener
   */
  private record Pending(
      ProducerRecord<byte[], byte[]> record,
      long bytes,
      CompletableFuture<Void> future,
      LongConsumer latencyListener,
      long publishedAtNanos) {}
}
