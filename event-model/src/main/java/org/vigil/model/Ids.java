package org.vigil.model;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Deterministic document ids. A replay after recovery computes the same id for the same input, so
 * Elasticsearch overwrites instead of duplicating.
 */
public final class Ids {
  private static final HexFormat HEX = HexFormat.of();

  private Ids() {}

  /**
   * One digest per thread, reused: looking one up for every event (the provider search and its
   * algorithm checks) cost as much as the hashing.
   */
  private static final ThreadLocal<MessageDigest> SHA_256 =
      ThreadLocal.withInitial(
          () -> {
            try {
              return MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
              throw new IllegalStateException("SHA-256 is missing from this JVM", e);
            }
          });

  /** 32 hex characters (128 bits of SHA-256) over the parts, separated unambiguously. */
  public static String of(String... parts) {
    MessageDigest sha = SHA_256.get();
    sha.reset();
    for (String part : parts) {
      byte[] bytes = String.valueOf(part).getBytes(StandardCharsets.UTF_8);
      sha.update(Integer.toString(bytes.length).getBytes(StandardCharsets.US_ASCII));
      sha.update((byte) ':');
      sha.update(bytes);
    }
    byte[] digest = sha.digest();
    return HEX.formatHex(digest, 0, 16);
  }

  /** The id of the event at a Kafka position; {@code index} counts events within one record. */
  public static String event(String topic, int partition, long offset, int index) {
    return of(topic, Integer.toString(partition), Long.toString(offset), Integer.toString(index));
  }
}
