package org.vigil.correlation.normalise;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * The type a captured text is converted to before it becomes an ECS field, so that it matches the
 * Elasticsearch mapping ({@code source.port} is a {@code long}, {@code source.ip} an {@code ip}). A
 * document whose {@code ip} field holds a host name would be rejected by Elasticsearch, which is
 * why {@link #IP} checks the text.
 */
public enum FieldType {
  STRING,
  LONG,
  DOUBLE,
  BOOLEAN,
  /** An IPv4 or IPv6 literal; never resolved through DNS. */
  IP;

  /** The converted value, or null when {@code text} is not of this type. */
  public Object convert(String text) {
    switch (this) {
      case STRING:
        return text;
      case LONG:
        try {
          return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
          return null;
        }
      case DOUBLE:
        try {
          double d = Double.parseDouble(text.trim());
          return Double.isFinite(d) ? d : null;
        } catch (NumberFormatException e) {
          return null;
        }
      case BOOLEAN:
        String b = text.trim().toLowerCase(Locale.ROOT);
        return b.equals("true") ? Boolean.TRUE : b.equals("false") ? Boolean.FALSE : null;
      case IP:
        return ipLiteral(text);
      default:
        throw new AssertionError(this);
    }
  }

  /** Parses the lower-case YAML name. */
  public static FieldType fromName(String name) {
    for (FieldType t : values()) {
      if (t.name().equalsIgnoreCase(name)) {
        return t;
      }
    }
    throw new IllegalArgumentException(
        "unknown type '" + name + "', expected one of string, long, double, boolean, ip");
  }

  private static String ipLiteral(String text) {
    String s = text.trim();
    if (s.startsWith("[") && s.endsWith("]")) {
      s = s.substring(1, s.length() - 1);
    }
    if (s.indexOf(':') >= 0) {
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        boolean ok = c == ':' || c == '.' || Character.digit(c, 16) >= 0;
        if (!ok) {
          return null;
        }
      }
      try {
        // Text with a colon is parsed as an IPv6 literal, without a name lookup.
        InetAddress.getByName(s);
        return s;
      } catch (UnknownHostException | IllegalArgumentException e) {
        return null;
      }
    }
    return isIpv4(s) ? s : null;
  }

  private static boolean isIpv4(String s) {
    int parts = 0;
    int i = 0;
    while (i <= s.length()) {
      int start = i;
      int value = 0;
      while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9' && i - start < 3) {
        value = value * 10 + (s.charAt(i++) - '0');
      }
      if (i == start || value > 255 || (i - start > 1 && s.charAt(start) == '0')) {
        return false;
      }
      parts++;
      if (i == s.length()) {
        return parts == 4;
      }
      if (s.charAt(i) != '.' || parts == 4) {
        return false;
      }
      i++;
    }
    return false;
  }
}
