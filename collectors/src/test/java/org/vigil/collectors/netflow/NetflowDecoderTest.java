package org.vigil.collectors.netflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class NetflowDecoderTest {
  private final NetflowDecoder decoder = new NetflowDecoder();
  private final InMemoryTemplateStore store = new InMemoryTemplateStore();

  /** An IPFIX message: header then sets, each given as (set id, body). */
  private static byte[] ipfix(long domain, long sequence, Object... sets) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(body);
    for (int i = 0; i < sets.length; i += 2) {
      byte[] b = (byte[]) sets[i + 1];
      out.writeShort((Integer) sets[i]);
      out.writeShort(b.length + 4);
      out.write(b);
    }
    ByteArrayOutputStream msg = new ByteArrayOutputStream();
    DataOutputStream m = new DataOutputStream(msg);
    m.writeShort(10);
    m.writeShort(16 + body.size());
    m.writeInt(1_700_000_000);
    m.writeInt((int) sequence);
    m.writeInt((int) domain);
    m.write(body.toByteArray());
    return msg.toByteArray();
  }

  private static byte[] bytes(int... values) {
    byte[] b = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      b[i] = (byte) values[i];
    }
    return b;
  }

  /** Template 300: sourceIPv4Address, destinationIPv4Address, protocol, ports, octets, a string. */
  private static byte[] template300() {
    return bytes(
        1, 44, 0, 7, // id 300, 7 fields
        0, 8, 0, 4, 0, 12, 0, 4, 0, 4, 0, 1, 0, 7, 0, 2, 0, 11, 0, 2, 0, 1, 0, 4, 0x80, 82, 0xFF,
        0xFF, 0, 0, 0x30, 0x39); // enterprise 12345 element 82, variable length
  }

  private static byte[] record300(String name) {
    byte[] n = name.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    ByteBuffer b = ByteBuffer.allocate(17 + 3 + n.length);
    b.put(bytes(10, 0, 0, 1, 10, 0, 0, 2, 6))
        .putShort((short) 40000)
        .putShort((short) 443)
        .putInt(1500);
    b.put((byte) 255).putShort((short) n.length).put(n); // the 3-byte length form
    return b.array();
  }

  @Test
  void decodesVariableLengthAndUnknownEnterpriseFieldsAsHex() throws Exception {
    NetflowMessage m = decoder.decode(ipfix(7, 0, 2, template300(), 300, record300("ab")), store);
    assertThat(m.records()).hasSize(1);
    FlowRecord r = m.records().get(0);
    assertThat(r.get("netflow.e12345.82")).isEqualTo("6162");
    assertThat(r.get("source.ip")).isEqualTo("10.0.0.1");
    assertThat(r.get("destination.port")).isEqualTo(443L);
    assertThat(r.get("network.transport")).isEqualTo("tcp");
    assertThat(r.get("network.iana_number")).isEqualTo("6");
    assertThat(r.get("network.bytes")).isEqualTo(1500L);
    assertThat(r.get("network.community_id")).asString().startsWith("1:");
    assertThat(m.templatesLearned()).containsExactly(new TemplateKey(10, 7, 300));
  }

  @Test
  void leavesOutFlowTimesNoClockCouldHaveMeantAndKeepsTheElements() throws Exception {
    byte[] template =
        bytes(
            1, 45, 0, 3, // id 301, 3 fields
            0, 8, 0, 4, // sourceIPv4Address
            0, 152, 0, 8, // flowStartMilliseconds
            0, 153, 0, 8); // flowEndMilliseconds
    long exported = 1_700_000_000_000L;
    ByteBuffer sane = ByteBuffer.allocate(20).put(bytes(10, 0, 0, 1));
    sane.putLong(exported - 30_000).putLong(exported - 1_000);
    ByteBuffer absurd = ByteBuffer.allocate(20).put(bytes(10, 0, 0, 2));
    absurd.putLong(Long.MAX_VALUE / 1000).putLong(exported * 1000); // a unit mixed up

    NetflowMessage m =
        decoder.decode(ipfix(7, 0, 2, template, 301, concat(sane.array(), absurd.array())), store);

    assertThat(m.records()).hasSize(2);
    FlowRecord ok = m.records().get(0);
    assertThat(ok.get("event.start")).isEqualTo("2023-11-14T22:12:50.000Z");
    assertThat(ok.get("event.end")).isEqualTo("2023-11-14T22:13:19.000Z");
    FlowRecord bad = m.records().get(1);
    assertThat(bad.fields()).doesNotContainKeys("event.start", "event.end", "event.duration");
    assertThat(bad.fields()).containsKeys("netflow.flowStartMilliseconds", "source.ip");
  }

  @Test
  void returnsDataBeforeItsTemplateAsPendingAndDecodesItLater() throws Exception {
    NetflowMessage first = decoder.decode(ipfix(7, 0, 300, record300("x")), store);
    assertThat(first.records()).isEmpty();
    assertThat(first.pending()).hasSize(1);
    PendingSet p = first.pending().get(0);
    assertThat(decoder.decodePending(p, store)).isEmpty();

    NetflowMessage second = decoder.decode(ipfix(7, 1, 2, template300()), store);
    assertThat(second.templatesLearned()).containsExactly(p.templateKey());
    List<FlowRecord> later = decoder.decodePending(p, store).orElseThrow();
    assertThat(later).hasSize(1);
    assertThat(later.get(0).get("netflow.e12345.82")).isEqualTo("78");
  }

  @Test
  void keepsTemplatesPerObservationDomain() throws Exception {
    decoder.decode(ipfix(7, 0, 2, template300()), store);
    NetflowMessage other = decoder.decode(ipfix(8, 0, 300, record300("x")), store);
    assertThat(other.records()).isEmpty();
    assertThat(other.pending()).extracting(PendingSet::domainId).containsExactly(8L);
  }

  @Test
  void withdrawsATemplateAndAllTemplatesOfADomain() throws Exception {
    decoder.decode(ipfix(7, 0, 2, template300()), store);
    decoder.decode(ipfix(7, 1, 2, bytes(1, 44, 0, 0)), store);
    assertThat(store.get(new TemplateKey(10, 7, 300))).isNull();

    decoder.decode(ipfix(7, 2, 2, template300()), store);
    decoder.decode(ipfix(7, 3, 2, bytes(0, 2, 0, 0)), store);
    assertThat(store.size()).isZero();
  }

  @Test
  void exposesSequenceForGapCounting() throws Exception {
    decoder.decode(ipfix(7, 0, 2, template300()), store);
    NetflowMessage m =
        decoder.decode(ipfix(7, 41, 300, concat(record300("a"), record300("b"))), store);
    assertThat(m.sequenceNumber()).isEqualTo(41);
    assertThat(m.expectedNextSequence()).isEqualTo(43);
  }

  @Test
  void templatesAreSerializable() throws Exception {
    decoder.decode(ipfix(7, 0, 2, template300()), store);
    Template t = store.get(new TemplateKey(10, 7, 300));
    var bytes = new ByteArrayOutputStream();
    try (var out = new java.io.ObjectOutputStream(bytes)) {
      out.writeObject(t);
    }
    try (var in =
        new java.io.ObjectInputStream(new java.io.ByteArrayInputStream(bytes.toByteArray()))) {
      assertThat(in.readObject()).isEqualTo(t);
    }
  }

  @Test
  void rejectsAZeroLengthSetInsteadOfLooping() throws Exception {
    byte[] packet = ipfix(7, 0, 2, template300());
    packet[18] = 0; // set length high byte
    packet[19] = 0;
    packet[16] = 0;
    packet[17] = 2;
    assertThatThrownBy(() -> decoder.decode(packet, store))
        .isInstanceOf(NetflowDecodeException.class)
        .hasMessageContaining("length 0");
  }

  @Test
  void rejectsAVariableLengthFieldRunningPastItsSet() throws Exception {
    decoder.decode(ipfix(7, 0, 2, template300()), store);
    byte[] rec = record300("abc");
    rec[rec.length - 4] = 0x7F; // announce far more bytes than the set holds
    assertThatThrownBy(() -> decoder.decode(ipfix(7, 1, 300, rec), store))
        .isInstanceOf(NetflowDecodeException.class)
        .hasMessageContaining("overruns");
  }

  @Test
  void rejectsUnsupportedVersionsAndTruncatedHeaders() {
    assertThatThrownBy(() -> decoder.decode(bytes(0, 7, 0, 0), store))
        .isInstanceOf(NetflowDecodeException.class)
        .hasMessageContaining("version 7");
    assertThatThrownBy(() -> decoder.decode(bytes(0, 9, 0, 1), store))
        .isInstanceOf(NetflowDecodeException.class);
    assertThatThrownBy(() -> decoder.decode(bytes(0, 5, 0, 2, 0, 0), store))
        .isInstanceOf(NetflowDecodeException.class);
  }

  @Test
  void randomGarbageAndMutatedFixturesNeverEscapeTheDecodeException() throws Exception {
    Random random = new Random(4);
    List<byte[]> seeds = new ArrayList<>();
    Path dir = NetflowFixturesTest.findTestdata().resolve("logstash-codec-netflow");
    try (Stream<Path> files = Files.list(dir)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        seeds.add(Files.readAllBytes(p));
      }
    }
    int decoded = 0;
    for (int i = 0; i < 20_000; i++) {
      byte[] b;
      if (i % 4 == 0) {
        b = new byte[random.nextInt(200)];
        random.nextBytes(b);
        if (b.length > 1) {
          b[0] = 0;
          b[1] = (byte) new int[] {5, 9, 10}[random.nextInt(3)];
        }
      } else {
        byte[] seed = seeds.get(random.nextInt(seeds.size()));
        b = seed.clone();
        for (int k = 1 + random.nextInt(6); k > 0; k--) {
          b[random.nextInt(b.length)] = (byte) random.nextInt(256);
        }
        if (random.nextBoolean()) {
          b = java.util.Arrays.copyOf(b, random.nextInt(b.length + 1));
        }
      }
      try {
        decoder.decode(b, i % 2 == 0 ? store : new InMemoryTemplateStore());
        decoded++;
      } catch (NetflowDecodeException e) {
        assertThat(e.getMessage()).doesNotStartWith("read past");
      }
    }
    assertThat(decoded).isPositive();
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] c = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, c, a.length, b.length);
    return c;
  }

  @Test
  void wrapsIpfixUptimesAroundTheSystemInitTimeLikeV9Uptimes() throws Exception {
    // Template 302: sourceIPv4Address, systemInitTimeMilliseconds, flowStart/EndSysUpTime.
    byte[] template = bytes(1, 46, 0, 4, 0, 8, 0, 4, 0, 160, 0, 8, 0, 22, 0, 4, 0, 21, 0, 4);
    long exported = 1_700_000_000_000L;
    long init = exported - 60L * 24 * 3600 * 1000; // up for 60 days: longer than 2^32 ms
    ByteBuffer r = ByteBuffer.allocate(20).put(bytes(10, 0, 0, 1)).putLong(init);
    r.putInt((int) (exported - 30_000 - init)).putInt((int) (exported - 1_000 - init));

    NetflowMessage m = decoder.decode(ipfix(7, 0, 2, template, 302, r.array()), store);

    assertThat(m.records().get(0).get("event.start")).isEqualTo("2023-11-14T22:12:50.000Z");
    assertThat(m.records().get(0).get("event.end")).isEqualTo("2023-11-14T22:13:19.000Z");
  }
}
