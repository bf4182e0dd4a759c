package org.vigil.bench.netflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.vigil.collectors.netflow.InMemoryTemplateStore;
import org.vigil.collectors.netflow.NetflowDecoder;
import org.vigil.collectors.netflow.NetflowMessage;

class NetflowExporterStreamTest {
  private final NetflowDecoder decoder = new NetflowDecoder();

  private static byte[] copy(ByteBuffer b) {
    byte[] out = new byte[b.remaining()];
    b.duplicate().get(out);
    return out;
  }

  /** Decodes {@code n} datagrams of the stream with one template store, as the job would. */
  private List<NetflowMessage> decode(NetflowExporterStream stream, int n, long epochSeconds)
      throws Exception {
    InMemoryTemplateStore store = new InMemoryTemplateStore();
    List<NetflowMessage> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(decoder.decode(copy(stream.next(epochSeconds)), store));
    }
    return out;
  }

  @Test
  void v9SequenceCountsExportPacketsWithoutAGap() throws Exception {
    NetflowExporterStream stream = new NetflowExporterStream(NetflowCaptures.asa(), 7, 5);
    List<NetflowMessage> messages = decode(stream, 40, 1_700_000_000L);
    for (int i = 0; i < messages.size(); i++) {
      assertThat(messages.get(i).sequenceNumber()).isEqualTo(i);
      if (i > 0) {
        assertThat(messages.get(i).sequenceNumber())
            .isEqualTo(messages.get(i - 1).expectedNextSequence());
      }
    }
  }

  @Test
  void ipfixSequenceCountsDataRecordsWithoutAGap() throws Exception {
    NetflowExporterStream stream = new NetflowExporterStream(NetflowCaptures.pflow(), 9, 3);
    List<NetflowMessage> messages = decode(stream, 30, 1_700_000_000L);
    long expected = 0;
    for (NetflowMessage m : messages) {
      assertThat(m.sequenceNumber()).isEqualTo(expected);
      assertThat(m.pending()).isEmpty();
      expected = m.expectedNextSequence();
    }
    assertThat(expected)
        .isEqualTo(26L * messages.stream().filter(m -> !m.records().isEmpty()).count());
  }

  @Test
  void writesTheExportersOwnDomainAndTheExportTime() throws Exception {
    NetflowExporterStream v9 = new NetflowExporterStream(NetflowCaptures.asa(), 0xFFFF_FFF0L, 0);
    NetflowExporterStream ipfix = new NetflowExporterStream(NetflowCaptures.pflow(), 1234, 0);
    for (NetflowMessage m : decode(v9, 4, 1_700_000_123L)) {
      assertThat(m.domainId()).isEqualTo(0xFFFF_FFF0L);
      assertThat(m.exportTimeMillis()).isEqualTo(1_700_000_123_000L);
    }
    for (NetflowMessage m : decode(ipfix, 4, 1_700_000_456L)) {
      assertThat(m.domainId()).isEqualTo(1234);
      assertThat(m.exportTimeMillis()).isEqualTo(1_700_000_456_000L);
    }
  }

  @Test
  void leavesTheRecordedDatagramsUntouched() {
    NetflowCapture asa = NetflowCaptures.asa();
    byte[] before = asa.data().get(0).bytes().clone();
    NetflowExporterStream stream = new NetflowExporterStream(asa, 99, 0);
    for (int i = 0; i < 5; i++) {
      stream.next(1_700_000_000L);
    }
    assertThat(asa.data().get(0).bytes()).isEqualTo(before);
  }

  @Test
  void sendsTemplatesFirstAndAgainAfterEachInterval() {
    NetflowExporterStream stream = new NetflowExporterStream(NetflowCaptures.asa(), 1, 3);
    StringBuilder kinds = new StringBuilder();
    int flows = 0;
    for (int i = 0; i < 12; i++) {
      stream.next(0);
      kinds.append(stream.lastWasTemplate() ? 'T' : 'D');
      flows += stream.lastFlows();
    }
    assertThat(kinds).hasToString("TTDDDTTDDDTT");
    assertThat(flows).isEqualTo(6 * 19);
  }

  @Test
  void sendsTemplatesOnlyFirstWhenTheIntervalIsZero() {
    NetflowExporterStream stream = new NetflowExporterStream(NetflowCaptures.asa(), 1, 0);
    StringBuilder kinds = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      stream.next(0);
      kinds.append(stream.lastWasTemplate() ? 'T' : 'D');
    }
    assertThat(kinds).hasToString("TTDDDDDD");
  }

  @Test
  void refusesADomainBeyond32Bits() {
    assertThatThrownBy(() -> new NetflowExporterStream(NetflowCaptures.asa(), 1L << 32, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
