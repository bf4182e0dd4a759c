package org.vigil.correlation.normalise;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One compiled normaliser: a {@link NormaliserDefinition} whose regexes are compiled once, checked
 * against its captures and types, and then reused for every message. Immutable and thread-safe.
 */
public final class Normaliser implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The pattern id a test gives to say that no pattern may match. */
  public static final String NO_PATTERN = "none";

  private static final ObjectMapper YAML =
      JsonMapper.builder(new YAMLFactory())
          .enable(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .build();

  private final String name;
  private final String source;
  private final Set<String> appNames;
  private final Pattern appNamePattern;
  private final Map<String, Object> fields;
  private final List<CompiledPattern> patterns;
  private final List<NormaliserDefinition.TestCase> tests;

  private record Capture(String group, String field, FieldType type) implements Serializable {}

  private record CompiledPattern(
      String id, Pattern regex, List<Capture> captures, Map<String, Object> fields)
      implements Serializable {}

  private Normaliser(
      String name,
      String source,
      Set<String> appNames,
      Pattern appNamePattern,
      Map<String, Object> fields,
      List<CompiledPattern> patterns,
      List<NormaliserDefinition.TestCase> tests) {
    this.name = name;
    this.source = source;
    this.appNames = appNames;
    this.appNamePattern = appNamePattern;
    this.fields = fields;
    this.patterns = patterns;
    this.tests = tests;
  }

  /**
   * Reads and compiles one YAML definition.
   *
   * @param source where it came from, for error messages (a file name)
   * @throws NormaliserException naming the source and what is wrong
   */
  public static Normaliser fromYaml(InputStream yaml, String source) {
    NormaliserDefinition definition;
    try {
      definition = YAML.readValue(yaml, NormaliserDefinition.class);
    } catch (IOException e) {
      throw new NormaliserException(source + ": not a valid normaliser: " + e.getMessage(), e);
    }
    if (definition == null) {
      throw new NormaliserException(source + ": empty file");
    }
    return compile(definition, source);
  }

  /** As {@link #fromYaml(InputStream, String)}, from text. */
  public static Normaliser fromYaml(String yaml, String source) {
    return fromYaml(
        new java.io.ByteArrayInputStream(yaml.getBytes(java.nio.charset.StandardCharsets.UTF_8)),
        source);
  }

  /** Checks and compiles a definition. */
  public static Normaliser compile(NormaliserDefinition def, String source) {
    if (def.name() == null || def.name().isBlank()) {
      throw new NormaliserException(source + ": 'name' is missing");
    }
    String where = source + " (" + def.name() + ")";
    Set<String> appNames = Set.of();
    Pattern appNamePattern = null;
    if (def.match() != null) {
      if (def.match().appName() != null) {
        appNames = Collections.unmodifiableSet(new LinkedHashSet<>(def.match().appName()));
      }
      if (def.match().appNamePattern() != null) {
        appNamePattern = regex(def.match().appNamePattern(), where + ": match.appNamePattern");
      }
    }
    Map<String, FieldType> types = new LinkedHashMap<>();
    if (def.types() != null) {
      for (Map.Entry<String, String> t : def.types().entrySet()) {
        try {
          types.put(t.getKey(), FieldType.fromName(String.valueOf(t.getValue())));
        } catch (IllegalArgumentException e) {
          throw new NormaliserException(where + ": types." + t.getKey() + ": " + e.getMessage());
        }
      }
    }
    if (def.patterns() == null || def.patterns().isEmpty()) {
      throw new NormaliserException(where + ": 'patterns' is missing or empty");
    }
    List<CompiledPattern> compiled = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < def.patterns().size(); i++) {
      NormaliserDefinition.PatternDefinition p = def.patterns().get(i);
      String id = p.id() == null ? "#" + (i + 1) : p.id();
      String at = where + ": pattern " + id;
      if (id.equals(NO_PATTERN) || !ids.add(id)) {
        throw new NormaliserException(at + ": id is reserved or used twice");
      }
      if (p.regex() == null) {
        throw new NormaliserException(at + ": 'regex' is missing");
      }
      Pattern regex = regex(p.regex(), at);
      Matcher probe = Pattern.compile("(?:" + p.regex() + ")|").matcher("");
      probe.find();
      List<Capture> captures = new ArrayList<>();
      if (p.captures() != null) {
        for (Map.Entry<String, List<String>> c : p.captures().entrySet()) {
          try {
            probe.group(c.getKey());
          } catch (IllegalArgumentException e) {
            throw new NormaliserException(
                at + ": captures." + c.getKey() + " names no group (?<" + c.getKey() + ">...)");
          }
          for (String field : c.getValue()) {
            captures.add(
                new Capture(c.getKey(), field, types.getOrDefault(field, FieldType.STRING)));
          }
        }
      }
      compiled.add(new CompiledPattern(id, regex, List.copyOf(captures), constants(p.fields())));
    }
    List<NormaliserDefinition.TestCase> tests = def.tests() == null ? List.of() : def.tests();
    for (int i = 0; i < tests.size(); i++) {
      NormaliserDefinition.TestCase t = tests.get(i);
      if (t.message() == null || (t.pattern() == null && t.expect() == null)) {
        throw new NormaliserException(
            where + ": test " + (i + 1) + " needs 'message' and 'pattern' or 'expect'");
      }
    }
    return new Normaliser(
        def.name(),
        source,
        appNames,
        appNamePattern,
        constants(def.fields()),
        List.copyOf(compiled),
        List.copyOf(tests));
  }

  public String name() {
    return name;
  }

  /** Where the definition was read from. */
  public String source() {
    return source;
  }

  public List<NormaliserDefinition.TestCase> tests() {
    return tests;
  }

  /** True when messages of this program are this normaliser's to read. */
  public boolean appliesTo(String appName) {
    if (appNames.isEmpty() && appNamePattern == null) {
      return true;
    }
    if (appName == null) {
      return false;
    }
    return appNames.contains(appName)
        || (appNamePattern != null && appNamePattern.matcher(appName).matches());
  }

  /**
   * Tries the patterns in order on {@code message}.
   *
   * @return the fields of the first pattern that matches, or only the common fields (with a null
   *     {@link Normalisation#pattern()}) when none does
   */
  public Normalisation normalise(String message) {
    for (CompiledPattern p : patterns) {
      Matcher m = p.regex().matcher(message);
      if (!m.find()) {
        continue;
      }
      Map<String, Object> out = new LinkedHashMap<>(fields);
      out.putAll(p.fields());
      List<String> rejected = List.of();
      for (Capture c : p.captures()) {
        String text = m.group(c.group());
        if (text == null || text.isEmpty()) {
          continue;
        }
        Object value = c.type().convert(text);
        if (value == null) {
          if (rejected.isEmpty()) {
            rejected = new ArrayList<>(2);
          }
          rejected.add(c.field());
        } else {
          out.put(c.field(), value);
        }
      }
      return new Normalisation(name, p.id(), out, rejected);
    }
    return new Normalisation(name, null, fields, List.of());
  }

  /**
   * Runs the definition's own {@code tests}.
   *
   * @return one line per failed check; empty when all pass
   */
  public List<String> runTests() {
    List<String> failures = new ArrayList<>();
    for (int i = 0; i < tests.size(); i++) {
      NormaliserDefinition.TestCase t = tests.get(i);
      String label = name + " test " + (i + 1) + " (" + t.message() + ")";
      String appName =
          t.appName() != null
              ? t.appName()
              : appNames.isEmpty() ? null : appNames.iterator().next();
      if (!appliesTo(appName)) {
        failures.add(label + ": normaliser does not apply to appName " + appName);
        continue;
      }
      Normalisation result = normalise(t.message());
      if (t.pattern() != null) {
        String actual = result.pattern() == null ? NO_PATTERN : result.pattern();
        if (!t.pattern().equals(actual)) {
          failures.add(label + ": pattern expected " + t.pattern() + " but was " + actual);
        }
      }
      if (t.expect() != null) {
        for (Map.Entry<String, Object> e : t.expect().entrySet()) {
          Object expected = canonical(e.getValue());
          Object actual = result.fields().get(e.getKey());
          if (!Objects.equals(expected, actual)) {
            failures.add(
                label
                    + ": "
                    + e.getKey()
                    + " expected "
                    + describe(expected)
                    + " but was "
                    + describe(actual));
          }
        }
      }
    }
    return failures;
  }

  @Override
  public String toString() {
    return "Normaliser{" + name + " from " + source + "}";
  }

  private static Pattern regex(String regex, String where) {
    try {
      return Pattern.compile(regex);
    } catch (PatternSyntaxException e) {
      throw new NormaliserException(where + ": invalid regex: " + e.getMessage(), e);
    }
  }

  private static Map<String, Object> constants(Map<String, Object> raw) {
    if (raw == null || raw.isEmpty()) {
      return Map.of();
    }
    Map<String, Object> out = new LinkedHashMap<>();
    raw.forEach((k, v) -> out.put(k, canonical(v)));
    return Collections.unmodifiableMap(out);
  }

  /** YAML scalars as the fields hold them: whole numbers as Long, lists as immutable lists. */
  static Object canonical(Object v) {
    if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
      return ((Number) v).longValue();
    }
    if (v instanceof BigInteger b) {
      return b.bitLength() < 64 ? (Object) b.longValue() : b.toString();
    }
    if (v instanceof Float f) {
      return f.doubleValue();
    }
    if (v instanceof BigDecimal d) {
      return d.doubleValue();
    }
    if (v instanceof Collection<?> c) {
      List<Object> list = new ArrayList<>(c.size());
      for (Object o : c) {
        list.add(canonical(o));
      }
      return Collections.unmodifiableList(list);
    }
    return v;
  }

  private static String describe(Object v) {
    if (v == null) {
      return "absent";
    }
    return v instanceof String ? "'" + v + "'" : v + " (" + v.getClass().getSimpleName() + ")";
  }
}
