package org.vigil.dashboards;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The web UI's dictionary and scripts, read as text: both languages complete, every literal key the
 * scripts ask for defined, and no script writing markup from strings.
 */
class UiDictionaryTest {
  private static final List<String> SCRIPTS =
      List.of(
          "app.js",
          "js/api.js",
          "js/charts.js",
          "js/dom.js",
          "js/i18n.js",
          "js/time.js",
          "js/ui.js",
          "js/views/alert.js",
          "js/views/alerts.js",
          "js/views/audit.js",
          "js/views/health.js",
          "js/views/overview.js",
          "js/views/rules.js",
          "js/views/search.js",
          "js/views/tokens.js",
          "js/views/users.js");
  private static final Pattern ENTRY = Pattern.compile("^\\s+'([\\w.\\-]+)': ", Pattern.MULTILINE);
  private static final Pattern LITERAL_KEY = Pattern.compile("\\bt\\('([\\w.\\-]+)'");
  private static final Pattern STATIC_KEY = Pattern.compile("data-i18n=\"([\\w.\\-]+)\"");

  @Test
  void vietnameseHasEveryEnglishStringAndNoOthers() {
    Map<String, Set<String>> languages = languages();
    assertThat(languages).containsOnlyKeys("en", "vi");
    assertThat(languages.get("vi")).isEqualTo(languages.get("en"));
  }

  @Test
  void everyKeyTheScriptsAndPageAskForIsDefined() {
    Set<String> defined = languages().get("en");
    Set<String> used = new TreeSet<>();
    for (String script : SCRIPTS) {
      Matcher m = LITERAL_KEY.matcher(resource(script));
      while (m.find()) {
        used.add(m.group(1));
      }
    }
    Matcher m = STATIC_KEY.matcher(resource("index.html"));
    while (m.find()) {
      used.add(m.group(1));
    }
    assertThat(used).hasSizeGreaterThan(100);
    assertThat(defined).containsAll(used);
  }

  @Test
  void noScriptBuildsMarkupFromStrings() {
    for (String script : SCRIPTS) {
      assertThat(resource(script))
          .as(script)
          .doesNotContain("innerHTML")
          .doesNotContain("outerHTML")
          .doesNotContain("insertAdjacentHTML")
          .doesNotContain("document.write")
          .doesNotContain("eval(");
    }
  }

  @Test
  void pageLoadsNoScriptFromElsewhereAndNoInlineScript() {
    String page = resource("index.html");
    assertThat(page).contains("<script type=\"module\" src=\"app.js\"></script>");
    assertThat(page.split("<script", -1)).hasSize(2);
    assertThat(page).doesNotContain("http://").doesNotContain("https://").doesNotContain("style=");
  }

  /** Language code to its keys, from the DICTIONARY object literal in i18n.js. */
  private static Map<String, Set<String>> languages() {
    String source = resource("js/i18n.js");
    Matcher block = Pattern.compile("^  (\\w+): \\{$", Pattern.MULTILINE).matcher(source);
    List<Integer> starts = new ArrayList<>();
    List<String> names = new ArrayList<>();
    while (block.find()) {
      names.add(block.group(1));
      starts.add(block.end());
    }
    Map<String, Set<String>> languages = new LinkedHashMap<>();
    for (int i = 0; i < names.size(); i++) {
      int end = i + 1 < names.size() ? starts.get(i + 1) : source.indexOf("\n};");
      Matcher entry = ENTRY.matcher(source.substring(starts.get(i), end));
      Set<String> keys = new TreeSet<>();
      while (entry.find()) {
        keys.add(entry.group(1));
      }
      languages.put(names.get(i), keys);
    }
    return languages;
  }

  private static String resource(String name) {
    try (InputStream in = UiDictionaryTest.class.getResourceAsStream("/webroot/" + name)) {
      assertThat(in).as("webroot/%s on the classpath", name).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
