package org.vigil.collectors.beats;

/** The frame-type byte, the second byte of every Lumberjack frame (ASCII letters on the wire). */
public enum LumberjackFrameType {
  WINDOW('W'),
  JSON('J'),
  DATA('D'),
  COMPRESSED('C'),
  ACK('A');

  private final byte code;

  LumberjackFrameType(char code) {
    this.code = (byte) code;
  }

  public byte code() {
    return code;
  }

  /**
   * @return the type with this code, or null for a byte that is no frame type
   */
  public static LumberjackFrameType valueOf(byte code) {
    return switch (code) {
      case 'W' -> WINDOW;
      case 'J' -> JSON;
      case 'D' -> DATA;
      case 'C' -> COMPRESSED;
      case 'A' -> ACK;
      default -> null;
    };
  }
}
