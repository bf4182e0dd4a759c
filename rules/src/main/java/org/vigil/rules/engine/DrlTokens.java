package org.vigil.rules.engine;

import java.util.ArrayList;
import java.util.List;

/**
 * The names and punctuation of DRL text with its comments and string literals left out, each with
 * its line: what {@link RuleCodePolicy} reads. Where this reading could differ from the compiler's
 * it errs towards code: a string literal ends at the end of its line. Java resolves Unicode escapes
 * before it sees comments and strings, MVEL only inside strings, so {@link RuleCodePolicy} reads
 * both the text as written and the text with its escapes resolved ({@link #resolveEscapes}).
 */
final class DrlTokens {
  /** One identifier or punctuation character. */
  record Token(String text, int line) {
    boolean isIdentifier() {
      return Character.isJavaIdentifierStart(text.charAt(0));
    }

    boolean is(String punctuation) {
      return text.equals(punctuation);
    }
  }

  /** Receives a problem of the text itself, with its line. */
  interface ProblemSink {
    void report(int line, String text);
  }

  private DrlTokens() {}

  static List<Token> of(String drl) {
    return of(drl, null);
  }

  /**
   * As {@link #of(String)}, adding to {@code literals}, unless null, the contents of the text's
   * string literals as written (escapes not interpreted), in order: the field names a rule reads,
   * among other text.
   */
  static List<Token> of(String drl, List<String> literals) {
    List<Token> tokens = new ArrayList<>();
    int line = 1;
    int n = drl.length();
    int i = 0;
    while (i < n) {
      char c = drl.charAt(i);
      if (c == '\n') {
        line++;
        i++;
      } else if (Character.isWhitespace(c)) {
        i++;
      } else if (c == '/' && i + 1 < n && drl.charAt(i + 1) == '/') {
        while (i < n && drl.charAt(i) != '\n') {
          i++;
        }
      } else if (c == '/' && i + 1 < n && drl.charAt(i + 1) == '*') {
        i += 2;
        while (i < n && !(drl.charAt(i) == '*' && i + 1 < n && drl.charAt(i + 1) == '/')) {
          if (drl.charAt(i) == '\n') {
            line++;
          }
          i++;
        }
        i += 2;
      } else if (c == '"' || c == '\'') {
        i++;
        int start = i;
        while (i < n && drl.charAt(i) != c && drl.charAt(i) != '\n') {
          i += drl.charAt(i) == '\\' && i + 1 < n && drl.charAt(i + 1) != '\n' ? 2 : 1;
        }
        if (literals != null) {
          literals.add(drl.substring(start, Math.min(i, n)));
        }
        if (i < n && drl.charAt(i) == c) {
          i++;
        }
      } else if (c >= '0' && c <= '9') {
        // A number with its suffix or radix letters (10L, 0xFF, 1.5e3f): not names.
        int start = i;
        while (i < n
            && (Character.isLetterOrDigit(drl.charAt(i))
                || drl.charAt(i) == '_'
                || (drl.charAt(i) == '.' && i + 1 < n && Character.isDigit(drl.charAt(i + 1))))) {
          i++;
        }
        tokens.add(new Token(drl.substring(start, i), line));
      } else if (Character.isJavaIdentifierStart(c)) {
        int start = i;
        while (i < n && Character.isJavaIdentifierPart(drl.charAt(i))) {
          i++;
        }
        tokens.add(new Token(drl.substring(start, i), line));
      } else {
        tokens.add(new Token(String.valueOf(c), line));
        i++;
      }
    }
    return tokens;
  }

  /**
   * The text as the Java compiler reads it: every Unicode escape ({@code \\u0041}, also {@code
   * \\uu0041}; not after an escaped backslash) replaced by its character (JLS 3.3). An escape of a
   * line break, quote, backslash, '/' or '*' could turn a comment or string into code, or back;
   * rules have no use for one, so each is reported.
   */
  static String resolveEscapes(String drl, ProblemSink problems) {
    StringBuilder out = new StringBuilder(drl.length());
    int line = 1;
    int n = drl.length();
    int i = 0;
    while (i < n) {
      char c = drl.charAt(i);
      if (c == '\\') {
        int u = i + 1;
        while (u < n && drl.charAt(u) == 'u') {
          u++;
        }
        if (u > i + 1 && u + 4 <= n && isHex(drl, u)) {
          char decoded = (char) Integer.parseInt(drl.substring(u, u + 4), 16);
          if ("\n\r\"'\\/*".indexOf(decoded) >= 0) {
            problems.report(
                line,
                "the Unicode escape "
                    + drl.substring(i, u + 4)
                    + " stands for a line break, quote, backslash, '/' or '*', which could hide"
                    + " code; write the character");
          }
          out.append(decoded);
          i = u + 4;
          continue;
        }
        // An escaped backslash: the next one cannot start an escape.
        out.append(c);
        if (i + 1 < n && drl.charAt(i + 1) == '\\') {
          out.append('\\');
          i += 2;
          continue;
        }
        i++;
        continue;
      }
      if (c == '\n') {
        line++;
      }
      out.append(c);
      i++;
    }
    return out.toString();
  }

  private static boolean isHex(String text, int from) {
    for (int k = from; k < from + 4; k++) {
      if (Character.digit(text.charAt(k), 16) < 0) {
        return false;
      }
    }
    return true;
  }
}
