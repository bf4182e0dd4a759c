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
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
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
  private final Pattern messagePattern;
  private final boolean programInText;
  private final Map<String, Object> fields;

  /** Null when the definition has no {@code keyValue}. */
  private final KeyValueFields keyValue;

  private final List<CompiledPattern> patterns;
  private final List<Derivation> derivations;
  private final List<NormaliserDefinition.TestCase> tests;

  private record Capture(String group, String field, FieldType type) implements Serializable {}

  /** {@code when}: key to the values it may have. */
  private record CompiledPattern(
      String id,
      Pattern regex,
      List<Capture> captures,
      Map<String, Object> fields,
      Map<String, Set<String>> when)
      implements Serializable {}

  /** The keys to read (mapped ones and those a {@code when} tests) and where mapped ones go. */
  private record KeyValueFields(Set<String> keys, List<Capture> targets) implements Serializable {}

  private record Derivation(String field, Map<String, Map<String, Object>> constants)
      implements Serializable {}

  private Normaliser(
      String name,
      String source,
      Set<String> appNames,
      Pattern appNamePattern,
      Pattern messagePattern,
      boolean programInText,
      Map<String, Object> fields,
      KeyValueFields keyValue,
      List<CompiledPattern> patterns,
      List<Derivation> derivations,
      List<NormaliserDefinition.TestCase> tests) {
    this.name = name;
    this.source = source;
    this.appNames = appNames;
    this.appNamePattern = appNamePattern;
    this.messagePattern = messagePattern;
    this.programInText = programInText;
    this.fields = fields;
    this.keyValue = keyValue;
    this.patterns = patterns;
    this.derivations = derivations;
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
    Pattern messagePattern = null;
    if (def.match() != null) {
      if (def.match().appName() != null) {
        appNames = Collections.unmodifiableSet(new LinkedHashSet<>(def.match().appName()));
      }
      if (def.match().appNamePattern() != null) {
        appNamePattern = regex(def.match().appNamePattern(), where + ": match.appNamePattern");
      }
      if (def.match().messagePattern() != null) {
        messagePattern = regex(def.match().messagePattern(), where + ": match.messagePattern");
      }
    }
    boolean programInText;
    if (def.text() == null || def.text().equals(NormaliserDefinition.TEXT_MESSAGE)) {
      programInText = false;
    } else if (def.text().equals(NormaliserDefinition.TEXT_PROGRAM_AND_MESSAGE)) {
      programInText = true;
    } else {
      throw new NormaliserException(
          where
              + ": text: '"
              + def.text()
              + "' is neither "
              + NormaliserDefinition.TEXT_MESSAGE
              + " nor "
              + NormaliserDefinition.TEXT_PROGRAM_AND_MESSAGE);
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
    Set<String> keys = new LinkedHashSet<>();
    List<Capture> keyTargets = new ArrayList<>();
    if (def.keyValue() != null) {
      if (def.keyValue().fields() == null) {
        throw new NormaliserException(where + ": keyValue needs 'fields'");
      }
      for (Map.Entry<String, List<String>> k : def.keyValue().fields().entrySet()) {
        if (k.getValue() == null || k.getValue().isEmpty() || k.getValue().contains(null)) {
          throw new NormaliserException(
              where + ": keyValue.fields." + k.getKey() + " names no field");
        }
        keys.add(k.getKey());
        for (String field : k.getValue()) {
          keyTargets.add(
              new Capture(k.getKey(), field, types.getOrDefault(field, FieldType.STRING)));
        }
      }
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
      if (p.regex() == null && (p.when() == null || p.when().isEmpty())) {
        throw new NormaliserException(at + ": needs 'regex' or 'when'");
      }
      Map<String, Set<String>> when = Map.of();
      if (p.when() != null && !p.when().isEmpty()) {
        if (def.keyValue() == null) {
          throw new NormaliserException(
              at + ": 'when' tests key-value pairs, but 'keyValue' is missing");
        }
        Map<String, Set<String>> w = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> e : p.when().entrySet()) {
          if (e.getValue() == null || e.getValue().isEmpty() || e.getValue().contains(null)) {
            throw new NormaliserException(at + ": when." + e.getKey() + " lists no value");
          }
          keys.add(e.getKey());
          w.put(e.getKey(), Set.copyOf(e.getValue()));
        }
        when = Collections.unmodifiableMap(w);
      }
      Pattern regex = p.regex() == null ? null : regex(p.regex(), at);
      if (regex == null && p.captures() != null && !p.captures().isEmpty()) {
        throw new NormaliserException(at + ": 'captures' needs a 'regex'");
      }
      Matcher probe = Pattern.compile("(?:" + (regex == null ? "" : p.regex()) + ")|").matcher("");
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
      compiled.add(
          new CompiledPattern(id, regex, List.copyOf(captures), constants(p.fields()), when));
    }
    List<Derivation> derivations = new ArrayList<>();
    if (def.derive() != null) {
      for (Map.Entry<String, Map<String, Map<String, Object>>> d : def.derive().entrySet()) {
        if (d.getValue() == null || d.getValue().isEmpty()) {
          throw new NormaliserException(where + ": derive." + d.getKey() + " maps no value");
        }
        Map<String, Map<String, Object>> byValue = new LinkedHashMap<>();
        d.getValue().forEach((value, constants) -> byValue.put(value, constants(constants)));
        derivations.add(new Derivation(d.getKey(), Collections.unmodifiableMap(byValue)));
      }
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
        messagePattern,
        programInText,
        constants(def.fields()),
        def.keyValue() == null
            ? null
            : new KeyValueFields(Collections.unmodifiableSet(keys), List.copyOf(keyTargets)),
        List.copyOf(compiled),
        List.copyOf(derivations),
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

  /**
   * True when messages of this program may be this normaliser's to read; {@link #apply} also checks
   * {@code match.messagePattern}.
   */
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
   * Normalises one message if it is this normaliser's: the program passes {@link
   * #appliesTo(String)} and the text the patterns see (see {@link #text(String, String)}) contains
   * {@code match.messagePattern}, when there is one.
   *
   * @return empty when the message is not this normaliser's; else as {@link #normalise(String)}
   */
  public Optional<Normalisation> apply(String appName, String message) {
    if (!appliesTo(appName)) {
      return Optional.empty();
    }
    String text = text(appName, message);
    if (messagePattern != null && !messagePattern.matcher(text).find()) {
      return Optional.empty();
    }
    return Optional.of(normalise(text));
  }

  /**
   * The text the patterns see: the message, or with {@code text: program_and_message} the message
   * after {@code appName + ": "} when there is a program name.
   */
  public String text(String appName, String message) {
    String m = message == null ? "" : message;
    return programInText && appName != null && !appName.isEmpty() ? appName + ": " + m : m;
  }

  /**
   * Tries the patterns in order on {@code text}, without checking {@code match}.
   *
   * @return the fields of the first pattern that matches, or only the common and key-value fields
   *     (with a null {@link Normalisation#pattern()}) when none does
   */
  public Normalisation normalise(String text) {
    Map<String, String> pairs =
        keyValue == null ? Map.of() : KeyValueParser.parse(text, keyValue.keys());
    for (CompiledPattern p : patterns) {
      if (!holds(p.when(), pairs)) {
        continue;
      }
      Matcher m = null;
      if (p.regex() != null) {
        m = p.regex().matcher(text);
        if (!m.find()) {
          continue;
        }
      }
      Map<String, Object> out = new LinkedHashMap<>(fields);
      List<String> rejected = List.of();
      if (keyValue != null) {
        rejected = put(out, keyValue.targets(), pairs::get, rejected);
      }
      out.putAll(p.fields());
      if (m != null) {
        Matcher found = m;
        rejected = put(out, p.captures(), found::group, rejected);
      }
      derive(out);
      return new Normalisation(name, p.id(), out, rejected);
    }
    if (keyValue == null && derivations.isEmpty()) {
      return new Normalisation(name, null, fields, List.of());
    }
    Map<String, Object> out = new LinkedHashMap<>(fields);
    List<String> rejected =
        keyValue == null ? List.of() : put(out, keyValue.targets(), pairs::get, List.of());
    derive(out);
    return new Normalisation(name, null, out, rejected);
  }

  private static boolean holds(Map<String, Set<String>> when, Map<String, String> pairs) {
    for (Map.Entry<String, Set<String>> w : when.entrySet()) {
      String value = pairs.get(w.getKey());
      if (value == null || !w.getValue().contains(value)) {
        return false;
      }
    }
    return true;
  }

  /** Sets the converted, non-empty texts; returns {@code rejected} with the fields that failed. */
  private static List<String> put(
      Map<String, Object> out,
      List<Capture> captures,
      Function<String, String> textOf,
      List<String> rejected) {
    for (Capture c : captures) {
      String text = textOf.apply(c.group());
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
    return rejected;
  }

  private void derive(Map<String, Object> out) {
    for (Derivation d : derivations) {
      Object value = out.get(d.field());
      if (value != null) {
        Map<String, Object> constants = d.constants().get(String.valueOf(value));
        if (constants != null) {
          out.putAll(constants);
        }
      }
    }
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
      Optional<Normalisation> applied = apply(appName, t.message());
      if (applied.isEmpty()) {
        failures.add(
            label
                + ": normaliser does not apply to appName "
                + appName
                + (messagePattern == null ? "" : " and this message"));
        continue;
      }
      Normalisation result = applied.get();
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
