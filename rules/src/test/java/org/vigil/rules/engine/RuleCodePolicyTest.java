package org.vigil.rules.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Rules cannot run code outside the allow-list, however they spell it. */
class RuleCodePolicyTest {

  /** The acceptance check's rule, verbatim. */
  private static final String EVIL =
      "package vigil.evil\n"
          + "rule \"Runs a shell\"\n"
          + "when\n"
          + "    $e : Object()\n"
          + "then\n"
          + "    Runtime.getRuntime().exec(\"id\");\n"
          + "end\n";

  private static String rule(String imports, String lhs, String rhs) {
    return "package vigil.test;\n"
        + imports
        + "\nimport org.vigil.model.Event;\n"
        + "global org.vigil.rules.engine.Detections detections;\n"
        + "rule \"Test rule\"\n"
        + "  @id(\"test-rule\") @severity(\"low\") @groupBy(\"source.ip\") @technique(\"T1\")\n"
        + "  @description(\"test\")\n"
        + "when\n"
        + "  "
        + lhs
        + "\nthen\n  "
        + rhs
        + "\n  detections.raise( $e );\nend\n";
  }

  private static List<String> problems(String drl) {
    RuleCompilationException e =
        catchThrowableOfType(
            RuleCompilationException.class,
            () -> RulePack.compile("test", Map.of("test.drl", drl)));
    assertThat(e).as("the pack compiled although it should be refused").isNotNull();
    return e.problems();
  }

  @Test
  void refusesTheAcceptanceChecksShellRuleWithFileAndLine() {
    assertThat(problems(EVIL)).anySatisfy(p -> assertThat(p).startsWith("test.drl:6: 'Runtime'"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "java.lang.Runtime.getRuntime().exec(\"id\");",
        "java . lang /* x */ . Runtime.getRuntime().exec(\"id\");",
        "Object c = Class.forName(\"java.lang.Runtime\");",
        "Object c = $e.getClass().getClassLoader();",
        "new java.io.File(\"/tmp/x\").delete();",
        "java.nio.file.Files.readAllLines(java.nio.file.Path.of(\"/etc/passwd\"));",
        "new Thread(() -> {}).start();",
        "Thread.sleep(1);",
        "System.exit(1);",
        "String s = String.class.getName();",
        "new java.net.Socket(\"example.org\", 80);",
        "java.lang.invoke.MethodHandles.lookup();",
        "new ProcessBuilder(\"id\").start();",
        "// \\u000a Runtime.getRuntime().exec(\"id\");",
        "\\u0052untime.getRuntime().exec(\"id\");",
        "String s = \"\\u0022 + Runtime.getRuntime().exec(\"id\") + \\u0022\";",
      })
  void refusesForbiddenCodeInConsequences(String code) {
    assertThat(problems(rule("", "$e : Event()", code))).isNotEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "$e : Event( sourceIp == System.getenv(\"HOME\") )",
        "$e : Event( eval( Runtime.getRuntime() != null ) )",
        "$e : Event()\n eval( java.lang.Runtime.getRuntime() != null )",
        "$e : Event( sourceIp == $e.getClass().getName() )",
        "$e : Event()\n $l : Object() from java.nio.file.Files.readAllLines("
            + "java.nio.file.Path.of(\"/etc/passwd\"))",
      })
  void refusesForbiddenCodeInConditions(String lhs) {
    assertThat(problems(rule("", lhs, ""))).isNotEmpty();
  }

  @Test
  void nestedClassesHaveTheirBytecodeNames() {
    assertThat(RuleCodePolicy.internalName("java.util.Map.Entry")).isEqualTo("java/util/Map$Entry");
    assertThat(RuleCodePolicy.internalName("java.lang.String")).isEqualTo("java/lang/String");
  }

  @Test
  void refusesForbiddenImports() {
    assertThat(problems(rule("import java.lang.reflect.*;", "$e : Event()", "")))
        .anySatisfy(p -> assertThat(p).contains("wildcard imports are not allowed"));
    assertThat(problems(rule("import java.lang.reflect.Method;", "$e : Event()", "")))
        .anySatisfy(p -> assertThat(p).contains("'import java.lang.reflect.Method'"));
    assertThat(problems(rule("import function java.lang.System.exit;", "$e : Event()", "")))
        .anySatisfy(p -> assertThat(p).contains("import function"));
  }

  @Test
  void refusesForbiddenCodeInFunctions() {
    String drl =
        rule("", "$e : Event( eval( shell() ) )", "")
            + "function boolean shell() {\n"
            + "  try { Runtime.getRuntime().exec(\"id\"); } catch (Exception e) {}\n"
            + "  return true;\n"
            + "}\n";
    assertThat(problems(drl)).anySatisfy(p -> assertThat(p).startsWith("test.drl:15: 'Runtime'"));
  }

  @Test
  void refusesQualifiedAnnotations() {
    String drl =
        rule("", "$e : Event()", "").replace("@description", "@java.lang.Runtime @description");
    assertThat(problems(drl))
        .anySatisfy(p -> assertThat(p).contains("'@java.lang.Runtime': qualified annotations"));
  }

  @Test
  void refusesTheMvelDialect() {
    String drl = rule("", "$e : Event()", "").replace("when", "  dialect \"mvel\"\nwhen");
    assertThat(problems(drl)).anySatisfy(p -> assertThat(p).contains("only the java dialect"));
  }

  @Test
  void acceptsAllowedCodeInConsequencesEvalsFunctionsAndAccumulates() throws Exception {
    String drl =
        rule(
                "import java.util.List;",
                "$e : Event( sourceIp != null, eval( width( $e ) > 0 ) )\n"
                    + "  $n : Number( intValue > 0 ) from accumulate( Event( sourceIp == $e.sourceIp ),"
                    + " count( 1 ) )",
                "List<Object> l = new java.util.ArrayList<Object>();\n"
                    + "  l.add( new String( java.util.Base64.getDecoder().decode( \"aQBkAA==\" ),"
                    + " java.nio.charset.StandardCharsets.UTF_16LE ) );\n"
                    + "  for ( java.util.Map.Entry<String, Object> f : $e.getFields().entrySet() ) {"
                    + " l.add( f.getKey() ); }\n"
                    + "  l.add( java.time.Instant.ofEpochMilli( $e.getTimestamp() ) );\n"
                    + "  String s = \"Runtime.getRuntime() in a string is text\"; // System.exit(1)\n"
                    + "  String dashes = \"-/\\u2013\\u2014\";\n"
                    + "  long n = 1000L + 0xFFL; double d = 2D + 1.5e3; float f = 0.5F;")
            + "function int width(Event e) {\n"
            + "  String joined = \"[\" + e.getSourceIp() + \"]\" + e.getTimestamp();\n"
            + "  return Math.max(1, joined.toLowerCase(java.util.Locale.ROOT).length());\n"
            + "}\n";

    RulePack pack = RulePack.compile("test", Map.of("test.drl", drl));

    assertThat(pack.rules()).hasSize(1);
  }

  /** A class that, compiled by javac, refers to Runtime: what the bytecode check must catch. */
  static final class Shell {
    static void run() throws IOException {
      Runtime.getRuntime().exec(new String[] {"id"});
    }

    static Object reflect() throws ReflectiveOperationException {
      return Class.forName("java.lang.Runtime");
    }

    static java.util.function.Supplier<Runtime> methodReference() {
      return Runtime::getRuntime;
    }
  }

  @Test
  void bytecodeCheckCatchesWhatTheSourceCheckCannotSee() throws Exception {
    String resource = Shell.class.getName().replace('.', '/') + ".class";
    byte[] bytes;
    try (InputStream in = getClass().getClassLoader().getResourceAsStream(resource)) {
      bytes = in.readAllBytes();
    }

    List<String> problems = RuleCodePolicy.checkBytecode(Map.of(resource, bytes), Set.of());

    assertThat(problems).anySatisfy(p -> assertThat(p).contains("'java.lang.Runtime'"));
    assertThat(problems).anySatisfy(p -> assertThat(p).contains("'java.lang.Process'"));
    assertThat(problems).anySatisfy(p -> assertThat(p).contains("'java.lang.Class.forName'"));
    assertThat(problems)
        .anySatisfy(p -> assertThat(p).contains("'java.lang.invoke.LambdaMetafactory'"));
  }

  @Test
  void compiledPackOfTheShippedRulesPassesBothChecks() {
    assertThatThrownBy(() -> RulePack.compile("test", Map.of("e.drl", EVIL)))
        .isInstanceOf(RuleCompilationException.class);
    assertThat(RulePack.builtIn().rules()).isNotEmpty();
  }
}
