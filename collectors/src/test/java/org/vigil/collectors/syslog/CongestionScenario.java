package org.vigil.collectors.syslog;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.function.IntFunction;
import java.util.stream.IntStream;
import org.apache.kafka.clients.producer.MockProducer;
import org.vigil.collectors.kafka.RawRecordPublisher;

/**
 * The backpressure promise for a stream transport (TCP or TLS): while Kafka is congested the
 * collector reads nothing more from the connection, and once Kafka catches up every message
 * arrives, in order. The publisher must have small watermarks and a producer that does not complete
 * sends by itself.
 */
final class CongestionScenario {
  private static final Duration WAIT = Duration.ofSeconds(10);

  private CongestionScenario() {}

  /**
   * @param frame the i-th framed message; its first ten characters identify it
   */
  static void assertPausesWhileCongestedAndDeliversAll(
      Socket socket,
      SyslogServer server,
      MockProducer<byte[], byte[]> producer,
      RawRecordPublisher publisher,
      IntFunction<String> frame)
      throws IOException {
    for (int i = 0; i < 10; i++) {
      write(socket, frame.apply(i));
    }
    await().atMost(WAIT).until(publisher::isCongested);
    await().pollDelay(Duration.ofMillis(300)).atMost(WAIT).until(() -> true);
    long readWhileCongested = server.metrics().receivedTcp();

    for (int i = 10; i < 20; i++) {
      write(socket, frame.apply(i));
    }
    await().pollDelay(Duration.ofMillis(500)).atMost(WAIT).until(() -> true);
    assertThat(server.metrics().receivedTcp())
        .as("nothing is read while congested")
        .isEqualTo(readWhileCongested)
        .isLessThan(20);

    await()
        .atMost(WAIT)
        .until(
            () -> {
              while (producer.completeNext()) {
                // Acknowledge everything sent so far, as Kafka would.
              }
              return server.metrics().published() == 20;
            });
    assertThat(publisher.isCongested()).isFalse();
    assertThat(producer.history())
        .extracting(r -> new String(r.value(), UTF_8).substring(0, 10))
        .containsExactlyElementsOf(
            IntStream.range(0, 20).mapToObj(i -> String.format("<13>msg-%02d", i)).toList());
  }

  private static void write(Socket socket, String text) throws IOException {
    OutputStream out = socket.getOutputStream();
    out.write(text.getBytes(UTF_8));
    out.flush();
  }
}
