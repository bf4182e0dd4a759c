package org.vigil.collectors.netflow;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.vigil.model.IsoInstant;

/**
 * How a field's bytes become a value: the IPFIX abstract data types (RFC 7011 §6.1, RFC 7012 §3.1)
 * plus a few vendor encodings. Each decode reads {@code length} bytes at an absolute index of the
 * buffer and never moves its position. A length the type cannot hold (an IPv4 address in 3 bytes)
 * falls back to hex rather than failing, because exporters do send such things.
 */
public enum FieldType {
  /** unsigned8..64, including reduced-size encoding (RFC 7011 §6.2). */
  UNSIGNED {
    @Override
    Object decode(ByteBuffer b, int at, int length) {
      if (length > 8) {
        return hex(b, at, length);
      }
      long v = unsigned(b, at, length);
      if (length == 8 && v < 0) {
        return new BigInteger(Long.toUnsignedString(v));
      }
      return v;
    }
  },
  SIGNED {
    @Override
    Object decode(ByteBuffer b, int at, int length) {
      if (length > 8) {
        return hex(b, at, length);
      }
      long v = unsigned(b, at, length);
      int shift = 64 - 8 * length;
      return (v << shift) >> shift;
    }
  },
  FLOAT {
    @Override
    Object decode(ByteBuffer b, int at, int length) {
      if (length == 4) {
        return (double) b.getFloat(at);
      }
      if (length == 8) {
        return b.getDouble(at);
      }
      return hex(b, at, length);
    }
  },
  /** RFC 7011 §6.1.5: 1 is true, 2 is false. */
  BOOLEAN {
    @Override
    Object decode(ByteBuffer b, int at, int length) {
      if (length != 1) {
        return hex(b, at, length);
      }
      int v = b.get(at) & 0xFF;
      return v == 1 ? Boolean.TRUE : v == 2 ? Boolean.FALSE : (Object) (long) v;
    }
  },
  IPV4 {
    @Override
    Object decode(ByteBuffer b, int at, int length) {
      return length == 4 ? ipv4(b, at) : hex(b, at, length);
    }
  },
  IPV6 {
    @Override
    Object decode(ByteBuffer b, int at, int length) {
      return length == 16 ? ipv6(b, at) : hex(b, at, length);
    }
  },
  MAC {
    @Override
    Object decode(ByteBuffer b, int at, int length) {
      return length == 6 ? mac(b, at, ':') : hex(b, at, length);
    }
  },
  /** UTF-8; exporters pad fixed-length strings with NULs, so the text ends at the first NUL. */
  STRING {
    @Override
    Object decode(ByteBuffer b, int at, int length) {
      int end = at;
      int limit = at + length;
      while (end < limit && b.get(end) != 0) {
        end++;
      }
      return string(b, at, end - at);
    }
  },
  OCTETS {
    @Override
    Object decode(ByteBuffer b, int at, int length) {
      return hex(b, at, length);
    }
  },
  DATETIME_SECONDS {
    @Override
    Object decode(ByteBuffer b, int at, int length) {
      return length == 4
          ? IsoInstant.formatWithMillis(unsigned(b, at, 4) * 1000)
          : hex(b, at, length);
    }
  },
  DATETIME_MILLIS {
    @Override
    Object decode(ByteBuffer b, int at, int length) {
      return length == 8 ? IsoInstant.formatWithMillis(b.getLong(at)) : hex(b, at, length);
    }
  },
  /** NTP timestamp format (RFC 7011 §6.1.9/§6.1.10): seconds since 1900 and a binary fraction. */
  DATETIME_MICROS {
    @Override
    Object decode(ByteBuffer b, int at, int length) {
      return length == 8 ? ntp(b, at, 0xFFFFF800L).toString() : hex(b, at, length);
    }
  },
  DATETIME_NANOS {
    @Override
    Object decode(ByteBuffer b, int at, int length) {
      return length == 8 ? ntp(b, at, 0xFFFFFFFFL).toString() : hex(b, at, length);
    }
  },
  /**
   * applicationId (RFC 6759 §4): a classification engine id byte, then the selector. Shown as
   * {@code engine..selector}, or {@code 20..PEN..selector} for engine 20 (PANA-L7-PEN) whose
   * selector starts with an enterprise number, as Cisco and Logstash show it.
   */
  APPLICATION_ID {
    @Override
    Object decode(ByteBuffer b, int at, int length) {
      if (length < 2) {
        return hex(b, at, length);
      }
      int engine = b.get(at) & 0xFF;
      if (engine == 20 && length >= 6 && length <= 12) {
        return engine + ".." + unsigned(b, at + 1, 4) + ".." + unsigned(b, at + 5, length - 5);
      }
      if (length <= 9) {
        return engine + ".." + unsigned(b, at + 1, length - 1);
      }
      return engine + ".." + hex(b, at + 1, length - 1);
    }
  },
  /** Cisco ASA NSEL ACL id: three 32-bit words (ACL, ACE, hash), shown as hex joined by '-'. */
  ACL_ID {
    @Override
    Object decode(ByteBuffer b, int at, int length) {
      if (length != 12) {
        return hex(b, at, length);
      }
      return hex(b, at, 4) + "-" + hex(b, at + 4, 4) + "-" + hex(b, at + 8, 4);
    }
  };

  private static final long NTP_TO_UNIX_SECONDS = 2_208_988_800L;
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  /** Decodes {@code length} (at least 1) bytes at absolute index {@code at}. */
  abstract Object decode(ByteBuffer b, int at, int length);

  /**
   * {@link #decode}, with the types most fields have (counters, ports, addresses) called directly:
   * a call through the enum's fifteen bodies cannot be inlined, and it is made for every field.
   */
  static Object decode(FieldType type, ByteBuffer b, int at, int length) {
    if (type == UNSIGNED && length <= 4) {
      return unsigned(b, at, length);
    }
    if (type == IPV4 && length == 4) {
      return ipv4(b, at);
    }
    return type.decode(b, at, length);
  }

  static long unsigned(ByteBuffer b, int at, int length) {
    switch (length) {
      case 1:
        return b.get(at) & 0xFFL;
      case 2:
        return b.getShort(at) & 0xFFFFL;
      case 4:
        return b.getInt(at) & 0xFFFFFFFFL;
      case 8:
        return b.getLong(at);
      default:
        long v = 0;
        for (int i = 0; i < length; i++) {
          v = (v << 8) | (b.get(at + i) & 0xFF);
        }
        return v;
    }
  }

  static Instant ntp(ByteBuffer b, int at, long fractionMask) {
    long seconds = (b.getInt(at) & 0xFFFFFFFFL) - NTP_TO_UNIX_SECONDS;
    long fraction = b.getInt(at + 4) & fractionMask;
    long nanos = (fraction * 1_000_000_000L) >>> 32;
    return Instant.ofEpochSecond(seconds, nanos);
  }

  static String hex(ByteBuffer b, int at, int length) {
    char[] out = new char[length * 2];
    for (int i = 0; i < length; i++) {
      int v = b.get(at + i) & 0xFF;
      out[2 * i] = HEX[v >>> 4];
      out[2 * i + 1] = HEX[v & 0xF];
    }
    return new String(out);
  }

  static String string(ByteBuffer b, int at, int length) {
    if (b.hasArray()) {
      return new String(b.array(), b.arrayOffset() + at, length, StandardCharsets.UTF_8);
    }
    byte[] bytes = new byte[length];
    b.get(at, bytes);
    return new String(bytes, StandardCharsets.UTF_8);
  }

  /**
   * Dotted-quad text of the address at {@code at}: one bounds-checked read and the digits written
   * straight into an array of the exact length, since every flow carries two to four addresses.
   */
  static String ipv4(ByteBuffer b, int at) {
    int address = b.getInt(at);
    int o1 = address >>> 24;
    int o2 = (address >>> 16) & 0xFF;
    int o3 = (address >>> 8) & 0xFF;
    int o4 = address & 0xFF;
    byte[] out = new byte[digitCount(o1) + digitCount(o2) + digitCount(o3) + digitCount(o4) + 3];
    int n = octet(out, 0, o1);
    out[n++] = '.';
    n = octet(out, n, o2);
    out[n++] = '.';
    n = octet(out, n, o3);
    out[n++] = '.';
    octet(out, n, o4);
    return new String(out, StandardCharsets.ISO_8859_1);
  }

  private static int digitCount(int octet) {
    return octet >= 100 ? 3 : octet >= 10 ? 2 : 1;
  }

  private static int octet(byte[] out, int at, int value) {
    int n = at;
    if (value >= 100) {
      out[n++] = (byte) ('0' + value / 100);
      out[n++] = (byte) ('0' + value / 10 % 10);
    } else if (value >= 10) {
      out[n++] = (byte) ('0' + value / 10);
    }
    out[n++] = (byte) ('0' + value % 10);
    return n;
  }

  /**
   * RFC 5952 text: lower case, no leading zeros, the longest run of two or more zero groups as
   * "::".
   */
  static String ipv6(ByteBuffer b, int at) {
    int[] g = new int[8];
    for (int i = 0; i < 8; i++) {
      g[i] = b.getShort(at + 2 * i) & 0xFFFF;
    }
    int bestStart = -1;
    int bestLen = 0;
    for (int i = 0; i < 8; ) {
      if (g[i] != 0) {
        i++;
        continue;
      }
      int j = i;
      while (j < 8 && g[j] == 0) {
        j++;
      }
      if (j - i > bestLen) {
        bestStart = i;
        bestLen = j - i;
      }
      i = j;
    }
    if (bestLen < 2) {
      bestStart = -1;
    }
    StringBuilder s = new StringBuilder(39);
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        s.append("::");
        i += bestLen - 1;
        continue;
      }
      if (s.length() > 0 && s.charAt(s.length() - 1) != ':') {
        s.append(':');
      }
      s.append(Integer.toHexString(g[i]));
    }
    return s.toString();
  }

  static String mac(ByteBuffer b, int at, char separator) {
    char[] out = new char[17];
    for (int i = 0; i < 6; i++) {
      int v = b.get(at + i) & 0xFF;
      out[3 * i] = HEX[v >>> 4];
      out[3 * i + 1] = HEX[v & 0xF];
      if (i < 5) {
        out[3 * i + 2] = separator;
      }
    }
    return new String(out);
  }
}
