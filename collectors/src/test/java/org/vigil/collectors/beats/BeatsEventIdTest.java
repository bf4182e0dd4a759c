package org.vigil.collectors.beats;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.vigil.model.Documents;

class BeatsEventIdTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void takesFilebeatsMetadataIdIntoVigilsIdSpace() throws Exception {
    String id = BeatsEventId.of(json("{\"@metadata\":{\"_id\":\"abc-1\"},\"message\":\"m\"}"));

    assertThat(id).hasSize(32).isNotEqualTo("abc-1");
    assertThat(BeatsEventId.of(json("{\"@metadata\":{\"_id\":\"abc-1\"},\"message\":\"n\"}")))
        .isEqualTo(id);
    assertThat(BeatsEventId.of(json("{\"@metadata\":{\"_id\":\"" + "x".repeat(600) + "\"}}")))
        .hasSize(32);
  }

  @Test
  void identifiesAFileLineByAgentPathOffsetAndContent() throws Exception {
    String line =
        "{\"@timestamp\":\"2024-01-01T00:00:00Z\",\"agent\":{\"id\":\"a1\"},"
            + "\"log\":{\"file\":{\"path\":\"/var/log/x\"},\"offset\":%d},\"message\":\"%s\"}";
    String first = BeatsEventId.of(json(String.format(line, 100, "m")));
    // The same line resent, its fields in another order and its message re-encoded.
    assertThat(
            BeatsEventId.of(
                json(
                    "{\"log\":{\"offset\":100,\"file\":{\"path\":\"/var/log/x\"}},\"message\":\"m\","
                        + "\"agent\":{\"id\":\"a1\"},\"@timestamp\":\"2024-01-01T00:00:00Z\"}")))
        .isEqualTo(first);
    assertThat(BeatsEventId.of(json(String.format(line, 200, "m")))).isNotEqualTo(first);
    // Read again after a restart: a new read time, the same line.
    assertThat(BeatsEventId.of(json(String.format(line, 100, "m").replace("00Z", "09Z"))))
        .isEqualTo(first);
    // The file was truncated and another line written at the same offset.
    assertThat(BeatsEventId.of(json(String.format(line, 100, "other")))).isNotEqualTo(first);
  }

  @Test
  void identifiesAWindowsEventByComputerChannelAndRecordId() throws Exception {
    String event =
        "{\"agent\":{\"id\":\"w1\"},\"winlog\":{\"computer_name\":\"dc01\",\"channel\":\"Security\","
            + "\"record_id\":%d,\"event_id\":\"4625\"},\"@timestamp\":\"%s\"}";
    String first = BeatsEventId.of(json(String.format(event, 7, "2024-01-01T00:00:00Z")));
    assertThat(BeatsEventId.of(json(String.format(event, 7, "2024-01-01T00:00:09Z"))))
        .isEqualTo(first);
    assertThat(BeatsEventId.of(json(String.format(event, 8, "2024-01-01T00:00:00Z"))))
        .isNotEqualTo(first);
  }

  @Test
  void fingerprintsOtherEventsWholeWhateverTheirKeyOrder() throws Exception {
    String id = BeatsEventId.of(json("{\"b\":{\"y\":1,\"x\":[1,2]},\"a\":\"m\"}"));
    assertThat(BeatsEventId.of(json("{\"a\":\"m\",\"b\":{\"x\":[1,2],\"y\":1}}"))).isEqualTo(id);
    assertThat(BeatsEventId.of(json("{\"a\":\"m\",\"b\":{\"x\":[2,1],\"y\":1}}"))).isNotEqualTo(id);
  }

  @SuppressWarnings("unchecked")
  @Test
  void givesTheSameIdFromTheEventsDottedFields() throws Exception {
    for (String event :
        List.of(
            "{\"@metadata\":{\"_id\":\"m-1\"},\"message\":\"x\"}",
            "{\"agent\":{\"id\":\"a1\"},\"winlog\":{\"record_id\":77,"
                + "\"computer_name\":\"dc1\",\"channel\":\"Security\"}}",
            "{\"agent\":{\"id\":\"a1\"},\"log\":{\"file\":{\"path\":\"/var/log/x\"},"
                + "\"offset\":10},\"message\":\"line\"}",
            "{\"agent.id\":\"a1\",\"log.file.path\":\"/var/log/x\",\"log.offset\":10,"
                + "\"message\":\"dotted names\"}",
            "{\"b\":[{\"z\":1},2],\"a\":{\"y\":null,\"x\":\" \"}}")) {
      byte[] bytes = event.getBytes(StandardCharsets.UTF_8);
      assertThat(BeatsEventId.ofFields(Documents.parseFlatObject(bytes), bytes))
          .as(event)
          .isEqualTo(BeatsEventId.of(json(event)));
    }
  }

  private static Map<String, Object> json(String text) throws Exception {
    return JSON.readValue(text, Map.class);
  }
}
