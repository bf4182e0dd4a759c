package org.vigil.rules.engine;

import java.util.ArrayList;
import java.util.List;

/**
 * The names and punctuation of DRL text with its comments and string literals left out, each with
 * its line: what {@link RuleCodePolicy} reads. Where this reading could differ from the compiler's
 * it errs towards code: a string literal ends at the end of its line, and a Unicode escape (which
 * Java resolves before it sees comments and strings) is reported instead of read.
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

  static List<Token> of(String drl, ProblemSink problems) {
    List<Token> tokens = new ArrayList<>();
    int line = 1;
    int n = drl.length();
    int i = 0;
    while (i < n) {
      char c = drl.charAt(i);
      if (c == '\\' && i + 1 < n && drl.charAt(i + 1) == 'u') {
        problems.report(
            line, "Unicode escapes (\\u...) are not allowed in rules; write the character");
      }
      if (c == '\n') {
        line++;
        i++;
      } else if (Character.isWhitespace(c)) {
        i++;
      } else if (c == '/' && i + 1 < n && drl.charAt(i + 1) == '/') {
        while (i < n && drl.charAt(i) != '\n') {
          i = escapeCheck(drl, i, line, problems) + 1;
        }
      } else if (c == '/' && i + 1 < n && drl.charAt(i + 1) == '*') {
        i += 2;
        while (i < n && !(drl.charAt(i) == '*' && i + 1 < n && drl.charAt(i + 1) == '/')) {
          if (drl.charAt(i) == '\n') {
            line++;
          }
          i = escapeCheck(drl, i, line, problems) + 1;
        }
        i += 2;
      } else if (c == '"' || c == '\'') {
        i++;
        while (i < n && drl.charAt(i) != c && drl.charAt(i) != '\n') {
          i = escapeCheck(drl, i, line, problems);
          i += drl.charAt(i) == '\\' && i + 1 < n && drl.charAt(i + 1) != '\n' ? 2 : 1;
        }
        if (i < n && drl.charAt(i) == c) {
          i++;
        }
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

  /** Reports a Unicode escape at {@code i} inside a comment or string; returns {@code i}. */
  private static int escapeCheck(String drl, int i, int line, ProblemSink problems) {
    if (drl.charAt(i) == '\\' && i + 1 < drl.length() && drl.charAt(i + 1) == 'u') {
      problems.report(
          line, "Unicode escapes (\\u...) are not allowed in rules; write the character");
    }
    return i;
  }
}
