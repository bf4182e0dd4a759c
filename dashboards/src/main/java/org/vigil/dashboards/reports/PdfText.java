package org.vigil.dashboards.reports;

import java.io.IOException;
import java.text.Normalizer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.pdfbox.pdmodel.font.PDFont;

/**
 * Makes any text printable with the report's font: a character it lacks becomes its closest form it
 * has rather than failing the whole report. With DejaVu ({@link PdfFonts}) that is only what DejaVu
 * lacks (emoji, CJK); with the standard Helvetica, which encodes only WinAnsi (Latin-1 and a few
 * more), "Việt Nam" prints as "Viêt Nam".
 *
 * <p>A character is decomposed (NFKD) and its marks put back one by one where the font has the
 * composed letter (ệ = e + dot below + circumflex gives ê); letters that do not decompose (đ) have
 * a short table; anything else becomes '?'. The exact text stays in the report's JSON and CSV
 * files; the PDF says how many characters it approximated. Not thread-safe: one per document.
 */
final class PdfText {

  private static final Map<Integer, String> LETTERS =
      Map.ofEntries(
          Map.entry((int) 'đ', "d"),
          Map.entry((int) 'Đ', "D"),
          Map.entry((int) 'ı', "i"),
          Map.entry((int) 'ł', "l"),
          Map.entry((int) 'Ł', "L"),
          Map.entry((int) 'ħ', "h"),
          Map.entry((int) 'Ħ', "H"),
          Map.entry((int) 'ŧ', "t"),
          Map.entry((int) '→', "->"),
          Map.entry((int) '←', "<-"),
          Map.entry((int) '≤', "<="),
          Map.entry((int) '≥', ">="),
          Map.entry((int) '≠', "!="),
          Map.entry((int) '−', "-"));

  private final PDFont font;

  /** Per code point: the text to print instead, or the code point itself when the font has it. */
  private final Map<Integer, Optional<String>> replacements = new HashMap<>();

  /**
   * The texts whose approximations are counted: a cell is measured before it is drawn and a table's
   * header is drawn again on every page, and each pass must not count it again.
   */
  private final Set<String> counted = new HashSet<>();

  private long approximated;

  PdfText(PDFont font) {
    this.font = font;
  }

  /** {@code text} with every character the font lacks replaced; "" for null. */
  String fit(String text) {
    if (text == null) {
      return "";
    }
    StringBuilder out = null;
    long replaced = 0;
    for (int i = 0; i < text.length(); ) {
      int cp = text.codePointAt(i);
      String replacement = replacement(cp);
      if (replacement != null && out == null) {
        out = new StringBuilder(text.length()).append(text, 0, i);
      }
      if (out != null) {
        if (replacement == null) {
          out.appendCodePoint(cp);
        } else {
          out.append(replacement);
          if (!Character.isWhitespace(cp)) {
            replaced++;
          }
        }
      }
      i += Character.charCount(cp);
    }
    if (replaced > 0 && counted.add(text)) {
      approximated += replaced;
    }
    return out == null ? text : out.toString();
  }

  /** {@code text} split at its line breaks, each line fitted; one empty line for null. */
  List<String> fitLines(String text) {
    if (text == null) {
      return List.of("");
    }
    return Arrays.stream(text.split("\\r\\n|\\r|\\n", -1)).map(this::fit).toList();
  }

  /** How many characters {@link #fit} has approximated so far, each distinct text once. */
  long approximated() {
    return approximated;
  }

  private String replacement(int cp) {
    if (cp >= 0x20 && cp < 0x7f) {
      return null;
    }
    return replacements.computeIfAbsent(cp, this::approximate).orElse(null);
  }

  /** Empty when the font has the character, else what to print instead. */
  private Optional<String> approximate(int cp) {
    if (encodable(cp)) {
      return Optional.empty();
    }
    if (Character.isWhitespace(cp) || Character.isSpaceChar(cp)) {
      return Optional.of(" "); // tabs and line breaks inside a cell or a note
    }
    if (Character.getType(cp) == Character.FORMAT) {
      return Optional.of(""); // zero-width joiners, byte order marks: invisible either way
    }
    if (Character.isISOControl(cp)) {
      return Optional.of("?");
    }
    String letter = LETTERS.get(cp);
    if (letter != null) {
      return Optional.of(letter);
    }
    String decomposed = Normalizer.normalize(key(cp), Normalizer.Form.NFKD);
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < decomposed.length(); ) {
      int part = decomposed.codePointAt(i);
      i += Character.charCount(part);
      if (isMark(part)) {
        if (out.length() > 0) {
          String composed =
              Normalizer.normalize(
                  out.substring(out.length() - 1) + key(part), Normalizer.Form.NFC);
          if (composed.length() == 1 && encodable(composed.charAt(0))) {
            out.setCharAt(out.length() - 1, composed.charAt(0));
          }
        }
      } else if (encodable(part)) {
        out.appendCodePoint(part);
      } else {
        out.append(LETTERS.getOrDefault(part, "?"));
      }
    }
    return Optional.of(out.length() == 0 ? "?" : out.toString());
  }

  private boolean encodable(int cp) {
    if (Character.isSupplementaryCodePoint(cp)) {
      return false; // neither WinAnsi nor the embedded subsets carry characters beyond the BMP
    }
    try {
      font.encode(key(cp));
      return true;
    } catch (IllegalArgumentException | IOException e) {
      return false;
    }
  }

  private static boolean isMark(int cp) {
    int type = Character.getType(cp);
    return type == Character.NON_SPACING_MARK
        || type == Character.COMBINING_SPACING_MARK
        || type == Character.ENCLOSING_MARK;
  }

  private static String key(int cp) {
    return new String(Character.toChars(cp));
  }
}
