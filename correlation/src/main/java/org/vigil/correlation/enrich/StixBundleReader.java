package org.vigil.correlation.enrich;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the indicators of a STIX 2.1 bundle (OASIS STIX 2.1 §4.3 bundle, §4.7 indicator, §9 STIX
 * patterning), as TAXII servers, MISP and OpenCTI export them.
 *
 * <p>An indicator is used when its {@code pattern_type} is {@code stix} (or absent), it is not
 * {@code revoked}, its {@code valid_until} is in the future, and its pattern is one or more
 * observation expressions {@code [...]} joined by {@code OR}, each of equality comparisons joined
 * by {@code OR}. Of the comparisons, these are used:
 *
 * <pre>
 *   [ipv4-addr:value = '203.0.113.5']      also a network: '203.0.113.0/24'
 *   [ipv6-addr:value = '2001:db8::5']
 *   [domain-name:value = 'evil.example']   matches its subdomains too
 *   [url:value = 'http://evil.example/x']
 *   [file:hashes.'SHA-256' = '...']        also 'SHA-1', MD5 (quoted or not)
 * </pre>
 *
 * Since the comparisons are alternatives, each usable one is a sufficient sign on its own; a
 * pattern with none usable, or with {@code AND}, other operators ({@code !=}, {@code MATCHES},
 * {@code LIKE}...) or qualifiers ({@code WITHIN}, {@code FOLLOWEDBY}), is skipped and counted: it
 * describes more than one value, which a per-event lookup cannot decide.
 */
public final class StixBundleReader {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static final String STRING = "'(?:[^'\\\\]|\\\\.)*'";
  private static final String PATH_PART = "(?:[A-Za-z0-9_-]+|" + STRING + ")";
  private static final String COMPARISON =
      "([a-z0-9-]+):(" + PATH_PART + "(?:\\." + PATH_PART + ")*)\\s*=\\s*(" + STRING + ")";
  private static final String OBSERVATION =
      "\\[\\s*" + COMPARISON + "(?:\\s+OR\\s+" + COMPARISON + ")*\\s*\\]";
  private static final Pattern WHOLE =
      Pattern.compile("\\s*" + OBSERVATION + "(?:\\s+OR\\s+" + OBSERVATION + ")*\\s*");
  private static final Pattern ONE_COMPARISON = Pattern.compile(COMPARISON);

  private StixBundleReader() {}

  /**
   * @param now epoch millis: indicators whose {@code valid_until} is not after it are skipped
   * @throws IllegalArgumentException if the text is not JSON or not a STIX bundle
   */
  public static IndicatorFeed read(String provider, String text, long now) {
    JsonNode bundle;
    try {
      bundle = JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "not JSON, line " + e.getLocation().getLineNr() + ": " + e.getOriginalMessage(), e);
    }
    if (bundle == null
        || !"bundle".equals(bundle.path("type").asText())
        || !bundle.path("objects").isArray()) {
      throw new IllegalArgumentException(
          "not a STIX 2.1 bundle: expected {\"type\": \"bundle\", \"objects\": [...]}");
    }
    IndicatorFeed.Builder feed = IndicatorFeed.builder(provider);
    for (JsonNode object : bundle.path("objects")) {
      if (!"indicator".equals(object.path("type").asText())) {
        continue;
      }
      add(feed, object, now);
    }
    return feed.build();
  }

  private static void add(IndicatorFeed.Builder feed, JsonNode indicator, long now) {
    String id = indicator.path("id").asText("(no id)");
    if (indicator.path("revoked").asBoolean(false)) {
      feed.inactive();
      return;
    }
    long validUntil = Long.MAX_VALUE;
    JsonNode until = indicator.get("valid_until");
    if (until != null && !until.isNull()) {
      try {
        validUntil = Instant.parse(until.asText()).toEpochMilli();
      } catch (DateTimeParseException e) {
        feed.skip(id + ": valid_until '" + until.asText() + "' is no RFC 3339 time");
        return;
      }
      if (validUntil <= now) {
        feed.inactive();
        return;
      }
    }
    String patternType = indicator.path("pattern_type").asText("stix");
    if (!patternType.equals("stix")) {
      feed.skip(id + ": pattern_type " + patternType + " is not supported, only stix");
      return;
    }
    String pattern = indicator.path("pattern").asText("");
    List<String[]> usable = comparisons(pattern);
    if (usable.isEmpty()) {
      feed.skip(id + ": pattern " + abbreviated(pattern) + " has no comparison Vigil can use");
      return;
    }
    for (String[] typeAndValue : usable) {
      try {
        feed.add(IndicatorType.fromName(typeAndValue[0]), typeAndValue[1], validUntil);
      } catch (IllegalArgumentException e) {
        feed.skip(id + ": " + e.getMessage());
      }
    }
  }

  /** The usable comparisons of a pattern as {type, value}, or none if it is not a pure OR. */
  static List<String[]> comparisons(String pattern) {
    List<String[]> usable = new ArrayList<>();
    if (!WHOLE.matcher(pattern).matches()) {
      return usable;
    }
    Matcher m = ONE_COMPARISON.matcher(pattern);
    while (m.find()) {
      String objectType = m.group(1);
      String path = m.group(2);
      String value = unquote(m.group(3));
      String type = typeOf(objectType, path);
      if (type != null) {
        usable.add(new String[] {type, value});
      }
    }
    return usable;
  }

  private static String typeOf(String objectType, String path) {
    switch (objectType) {
      case "ipv4-addr", "ipv6-addr", "domain-name", "url" -> {
        return path.equals("value") ? objectType : null;
      }
      case "file" -> {
        if (!path.startsWith("hashes.")) {
          return null;
        }
        String algorithm =
            unquoteIfQuoted(path.substring("hashes.".length())).toUpperCase(Locale.ROOT);
        return switch (algorithm) {
          case "MD5", "SHA-1", "SHA1", "SHA-256", "SHA256" -> "file";
          default -> null;
        };
      }
      default -> {
        return null;
      }
    }
  }

  private static String unquoteIfQuoted(String text) {
    return text.startsWith("'") ? unquote(text) : text;
  }

  /** A STIX string literal's content: {@code \'} and {@code \\} are its only escapes. */
  private static String unquote(String literal) {
    String body = literal.substring(1, literal.length() - 1);
    StringBuilder sb = new StringBuilder(body.length());
    for (int i = 0; i < body.length(); i++) {
      char c = body.charAt(i);
      if (c == '\\' && i + 1 < body.length()) {
        c = body.charAt(++i);
      }
      sb.append(c);
    }
    return sb.toString();
  }

  private static String abbreviated(String pattern) {
    return pattern.length() <= 120 ? pattern : pattern.substring(0, 117) + "...";
  }
}
