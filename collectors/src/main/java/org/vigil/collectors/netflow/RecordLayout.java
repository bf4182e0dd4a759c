package org.vigil.collectors.netflow;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where each value of a record goes: one slot per distinct output key, shared by every record of a
 * template, so that a record is a plain array of values instead of a hash map of its own (the map
 * was most of the decoder's time and allocation). The slots start with the fields every record may
 * carry (header and ECS fields, {@link #VERSION} to {@link #COMMUNITY_ID}), then the template's own
 * keys in template order. A template field whose key is one of those fixed fields, or repeats an
 * earlier field, shares its slot, and the value written last wins, as with a map.
 */
final class RecordLayout {
  static final int VERSION = 0;
  static final int FLOWSET_ID = 1;
  static final int OBSERVATION_DOMAIN_ID = 2;
  static final int EVENT_KIND = 3;
  static final int EVENT_DATASET = 4;
  static final int EVENT_CATEGORY = 5;
  static final int EVENT_TYPE = 6;
  static final int SOURCE_IP = 7;
  static final int DESTINATION_IP = 8;
  static final int NETWORK_TYPE = 9;
  static final int SOURCE_PORT = 10;
  static final int DESTINATION_PORT = 11;
  static final int IANA_NUMBER = 12;
  static final int TRANSPORT = 13;
  static final int BYTES = 14;
  static final int PACKETS = 15;
  static final int DIRECTION = 16;
  static final int SOURCE_MAC = 17;
  static final int DESTINATION_MAC = 18;
  static final int EVENT_START = 19;
  static final int EVENT_END = 20;
  static final int EVENT_DURATION = 21;
  static final int COMMUNITY_ID = 22;

  private static final List<String> FIXED_KEYS =
      List.of(
          "netflow.version",
          "netflow.flowset_id",
          "netflow.observationDomainId",
          "event.kind",
          "event.dataset",
          "event.category",
          "event.type",
          "source.ip",
          "destination.ip",
          "network.type",
          "source.port",
          "destination.port",
          "network.iana_number",
          "network.transport",
          "network.bytes",
          "network.packets",
          "network.direction",
          "source.mac",
          "destination.mac",
          "event.start",
          "event.end",
          "event.duration",
          "network.community_id");

  private final String[] keys;
  private final int[] fieldSlots;
  private final Map<String, Integer> slotByKey;

  private RecordLayout(List<String> fieldKeys) {
    Map<String, Integer> slots = new HashMap<>(2 * (FIXED_KEYS.size() + fieldKeys.size()));
    List<String> all = new ArrayList<>(FIXED_KEYS.size() + fieldKeys.size());
    for (String k : FIXED_KEYS) {
      slots.put(k, all.size());
      all.add(k);
    }
    int[] fieldSlots = new int[fieldKeys.size()];
    for (int i = 0; i < fieldKeys.size(); i++) {
      String k = fieldKeys.get(i);
      Integer slot = slots.get(k);
      if (slot == null) {
        slot = all.size();
        slots.put(k, slot);
        all.add(k);
      }
      fieldSlots[i] = slot;
    }
    this.keys = all.toArray(String[]::new);
    this.fieldSlots = fieldSlots;
    this.slotByKey = Map.copyOf(slots);
  }

  /** The layout of a template's records: its fields' keys in template order. */
  static RecordLayout of(List<FieldSpec> fields) {
    List<String> keys = new ArrayList<>(fields.size());
    for (FieldSpec f : fields) {
      keys.add(f.key());
    }
    return new RecordLayout(keys);
  }

  /** A layout for records whose keys are known up front (v5's fixed record, tests). */
  static RecordLayout ofKeys(Collection<String> keys) {
    return new RecordLayout(List.copyOf(keys));
  }

  int size() {
    return keys.length;
  }

  String key(int slot) {
    return keys[slot];
  }

  /** The slot of the template's {@code index}th field. */
  int fieldSlot(int index) {
    return fieldSlots[index];
  }

  /** The slot of {@code key}, or -1 when records of this layout never carry it. */
  int slot(Object key) {
    Integer slot = slotByKey.get(key);
    return slot == null ? -1 : slot;
  }
}
