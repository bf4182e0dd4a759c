package org.vigil.dashboards.reports;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.vigil.rules.engine.RulePack;

/**
 * Each rule's own DRL text in a ruleset's files, by rule name: a rule whose conditions changed
 * while its metadata (and version) stayed the same is still a changed rule to an auditor, and only
 * its text shows it.
 */
final class DrlRuleTexts {
  /** From {@code rule "name"} to the {@code end} that closes it. */
  private static final Pattern RULE =
      Pattern.compile("(?ms)^\\s*rule\\s+([\"'])(.*?)\\1(.*?)^\\s*end\\s*$");

  private DrlRuleTexts() {}

  /**
   * The text of every rule in {@code files}, by name, with trailing blanks and blank lines dropped
   * so that re-indenting nothing else does not count as a change.
   */
  static Map<String, String> of(Map<String, String> files) {
    Map<String, String> texts = new LinkedHashMap<>();
    for (String drl : files.values()) {
      Matcher m = RULE.matcher(drl);
      while (m.find()) {
        texts.put(m.group(2), normalise(m.group(3)));
      }
    }
    return texts;
  }

  /** The files of the shipped pack, as {@link RulePack#builtIn()} reads them. */
  static Map<String, String> builtInFiles() {
    ClassLoader loader = RulePack.class.getClassLoader();
    Map<String, String> files = new LinkedHashMap<>();
    for (String line : resource(loader, RulePack.BUILT_IN_FOLDER + "index.txt").split("\n")) {
      String name = line.strip();
      if (name.isEmpty() || name.startsWith("#")) {
        continue;
      }
      files.put(name, resource(loader, RulePack.BUILT_IN_FOLDER + name));
    }
    return files;
  }

  private static String normalise(String text) {
    StringBuilder out = new StringBuilder();
    for (String line : text.split("\n")) {
      String kept = line.stripTrailing();
      if (!kept.isEmpty()) {
        out.append(kept).append('\n');
      }
    }
    return out.toString();
  }

  private static String resource(ClassLoader loader, String name) {
    try (InputStream in = loader.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("the shipped rule pack lacks " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + name, e);
    }
  }
}
