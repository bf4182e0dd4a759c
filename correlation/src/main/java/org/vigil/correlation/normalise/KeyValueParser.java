package org.vigil.correlation.normalise;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Reads {@code key=value} pairs separated by white space, as FortiGate, Palo Alto (custom formats),
 * Check Point and many other appliances write their logs:
 *
 * <pre>
 * date=2026-11-25 devname="FGT60F" msg="Admin login failed" user="a \"b\"" empty= quoted=""
 * </pre>
 *
 * <ul>
 *   <li>A key is a run of characters other than white space, {@code =} and {@code "}.
 *   <li>A value in double quotes may hold spaces; {@code \"} and {@code \\} in it stand for {@code
 *       "} and {@code \}. A value whose closing quote is missing (a message cut short by the
 *       sender's length limit) runs to the end of the text.
 *   <li>An unquoted value runs to the next white space; {@code key=} gives an empty value.
 *   <li>Text that is not a pair (a word without {@code =}) is skipped; the first occurrence of a
 *       key counts.
 * </ul>
 *
 * One pass, no regex, and only the wanted keys' text is copied, so a long log line with many keys
 * costs little more than a scan.
 */
public final class KeyValueParser {
  private KeyValueParser() {}

  /** All pairs of {@code text}, in order. */
  public static Map<String, String> parse(String text) {
    return parse(text, null);
  }

  /**
   * The pairs of {@code text} whose key is in {@code keys} (all pairs when {@code keys} is null).
   */
  public static Map<String, String> parse(String text, Set<String> keys) {
    Map<String, String> out = new LinkedHashMap<>();
    if (text == null) {
      return out;
    }
    int len = text.length();
    int i = 0;
    while (i < len) {
      while (i < len && isSpace(text.charAt(i))) {
        i++;
      }
      int keyStart = i;
      while (i < len
          && !isSpace(text.charAt(i))
          && text.charAt(i) != '='
          && text.charAt(i) != '"') {
        i++;
      }
      if (i >= len || text.charAt(i) != '=' || i == keyStart) {
        i = skipToken(text, i);
        continue;
      }
      String key = text.substring(keyStart, i);
      boolean wanted = (keys == null || keys.contains(key)) && !out.containsKey(key);
      i++; // '='
      String value;
      if (i < len && text.charAt(i) == '"') {
        int start = ++i;
        StringBuilder unescaped = null;
        while (i < len && text.charAt(i) != '"') {
          char c = text.charAt(i);
          if (c == '\\'
              && i + 1 < len
              && (text.charAt(i + 1) == '"' || text.charAt(i + 1) == '\\')) {
            if (wanted && unescaped == null) {
              unescaped = new StringBuilder(text.length() - start).append(text, start, i);
            }
            if (unescaped != null) {
              unescaped.append(text.charAt(i + 1));
            }
            i += 2;
          } else {
            if (unescaped != null) {
              unescaped.append(c);
            }
            i++;
          }
        }
        value =
            !wanted ? null : unescaped != null ? unescaped.toString() : text.substring(start, i);
        if (i < len) {
          i++; // closing quote
        }
        i = skipToken(text, i);
      } else {
        int start = i;
        while (i < len && !isSpace(text.charAt(i))) {
          i++;
        }
        value = wanted ? text.substring(start, i) : null;
      }
      if (wanted) {
        out.put(key, value);
      }
    }
    return out;
  }

  /** Skips the rest of a token that is not a well-formed pair. */
  private static int skipToken(String text, int i) {
    while (i < text.length() && !isSpace(text.charAt(i))) {
      i++;
    }
    return i;
  }

  private static boolean isSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
  }
}
