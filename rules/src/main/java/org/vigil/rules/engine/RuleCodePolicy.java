package org.vigil.rules.engine;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.drools.drl.ast.descr.AttributeDescr;
import org.drools.drl.ast.descr.FunctionImportDescr;
import org.drools.drl.ast.descr.GlobalDescr;
import org.drools.drl.ast.descr.ImportDescr;
import org.drools.drl.ast.descr.PackageDescr;
import org.drools.drl.ast.descr.RuleDescr;
import org.drools.drl.ast.descr.TypeDeclarationDescr;
import org.drools.drl.ast.descr.TypeFieldDescr;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Handle;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.commons.ClassRemapper;
import org.objectweb.asm.commons.Remapper;

/**
 * What code a rule may run. DRL is Java (consequences, functions, {@code eval}) and MVEL
 * (constraints, {@code from} expressions), so whoever may deploy rules could run any code on the
 * cluster, unless the pack is held to an allow-list: data types, collections, {@code java.time},
 * the event model and the {@link Detections} global; no I/O, reflection, threads, processes, class
 * loading, {@code System}, {@code Runtime} or network.
 *
 * <p>Two independent checks, so that neither spelling nor a gap in one of them opens the door:
 *
 * <ul>
 *   <li>{@link #checkSource}, on the DRL before anything is compiled: imports, globals, dialects
 *       and type declarations from the parsed descriptors, and every name in the code itself
 *       (comments and string literals left out). A type named simply must be an allowed simple
 *       name, a qualified name must be an allowed class, and members that lead to reflection
 *       ({@code getClass}, {@code forName}, {@code .class}, ...) are refused. It gives rule admins
 *       messages with file and line, and it is the only check that sees MVEL constraints, which
 *       Drools interprets instead of compiling. Java resolves Unicode escapes before it sees
 *       comments and strings (an escaped line break ends a line comment), so the text is read both
 *       as written and with its escapes resolved, and escapes of line breaks, quotes, slashes and
 *       stars are refused.
 *   <li>{@link #checkBytecode}, on the classes Drools generated (consequences, functions, {@code
 *       eval}, inline accumulates): every class they reference must be allowed; it sees what the
 *       compiler really produced, however the source spelt it.
 * </ul>
 *
 * <p>Only the Java dialect is allowed: an MVEL consequence would be interpreted, out of the
 * bytecode check's sight.
 */
public final class RuleCodePolicy {

  /** Classes a rule may use, as qualified names. Their simple names are usable unqualified. */
  static final Set<String> ALLOWED_CLASSES =
      Set.of(
          "java.lang.Object",
          "java.lang.String",
          "java.lang.StringBuilder",
          "java.lang.CharSequence",
          "java.lang.Character",
          "java.lang.Number",
          "java.lang.Integer",
          "java.lang.Long",
          "java.lang.Short",
          "java.lang.Byte",
          "java.lang.Double",
          "java.lang.Float",
          "java.lang.Boolean",
          "java.lang.Math",
          "java.lang.Comparable",
          "java.lang.Iterable",
          "java.lang.Exception",
          "java.lang.RuntimeException",
          "java.lang.IllegalArgumentException",
          "java.lang.IllegalStateException",
          "java.lang.NumberFormatException",
          "java.lang.ArithmeticException",
          "java.lang.NullPointerException",
          "java.lang.IndexOutOfBoundsException",
          "java.util.Collection",
          "java.util.List",
          "java.util.ArrayList",
          "java.util.LinkedList",
          "java.util.Map",
          "java.util.Map.Entry",
          "java.util.HashMap",
          "java.util.LinkedHashMap",
          "java.util.TreeMap",
          "java.util.Set",
          "java.util.HashSet",
          "java.util.LinkedHashSet",
          "java.util.TreeSet",
          "java.util.Iterator",
          "java.util.Collections",
          "java.util.Arrays",
          "java.util.Objects",
          "java.util.Optional",
          "java.util.Comparator",
          "java.util.Deque",
          "java.util.ArrayDeque",
          "java.util.Locale",
          "java.util.Base64",
          "java.util.Base64.Decoder",
          "java.util.regex.Pattern",
          "java.util.regex.Matcher",
          // Decoding text (an encoded PowerShell command is UTF-16LE in Base64).
          "java.nio.charset.StandardCharsets",
          "java.nio.charset.Charset",
          "java.time.Instant",
          "java.time.Duration",
          "java.time.LocalDate",
          "java.time.LocalDateTime",
          "java.time.LocalTime",
          "java.time.ZonedDateTime",
          "java.time.OffsetDateTime",
          "java.time.ZoneOffset",
          "java.time.DayOfWeek",
          "java.time.temporal.ChronoUnit",
          "org.vigil.model.Event",
          "org.vigil.model.Severity",
          "org.vigil.rules.engine.Detections");

  /**
   * Classes only the code Drools generates around a rule refers to (consequence and invoker
   * classes, the handle of the consequence's facts); a rule's own source cannot name them, as they
   * are not in {@link #ALLOWED_CLASSES}. Taken from the classes generated for the shipped pack.
   */
  static final Set<String> ENGINE_CLASSES =
      Set.of(
          // DRL functions are compiled to Externalizable classes.
          "java.io.Externalizable",
          "java.io.IOException",
          "java.io.ObjectInput",
          "java.io.ObjectOutput",
          "java.lang.ClassNotFoundException",
          // Invokers compare themselves by their classes' bytecode (MethodComparator): Class is
          // allowed as a type, but no method of it may be called (see checkBytecode).
          "java.lang.Class",
          "java.lang.Throwable",
          "org.drools.core.rule.consequence.KnowledgeHelper",
          "org.drools.mvel.asm.ConsequenceGenerator",
          "org.drools.mvel.asm.MethodComparator",
          "org.drools.mvel.field.FieldFactory",
          "org.drools.base.base.ValueResolver",
          "org.drools.base.reteoo.BaseTuple",
          "org.drools.base.rule.Declaration",
          "org.drools.base.rule.accessor.CompiledInvoker",
          "org.drools.base.rule.accessor.EvalExpression",
          "org.drools.base.rule.accessor.FieldValue",
          "org.drools.base.rule.accessor.ReturnValueExpression",
          "org.drools.base.rule.consequence.Consequence",
          "org.drools.base.rule.consequence.ConsequenceContext",
          "org.drools.mvel.asm.ConsequenceStub",
          "org.drools.mvel.asm.EvalStub",
          "org.kie.api.runtime.rule.FactHandle");

  /**
   * Members that lead from an allowed object to reflection, class loading or processes; refused by
   * name in rule source whichever object they are called on.
   */
  static final Set<String> FORBIDDEN_MEMBERS =
      Set.of(
          "class",
          "getClass",
          "classLoader",
          "getClassLoader",
          "forName",
          "loadClass",
          "defineClass",
          "newInstance",
          "getRuntime",
          "runtime",
          "exec",
          "invoke",
          "invokeExact",
          "getMethod",
          "getMethods",
          "getDeclaredMethod",
          "getDeclaredMethods",
          "getDeclaredField",
          "getDeclaredFields",
          "getDeclaredConstructor",
          "getDeclaredConstructors",
          "getConstructor",
          "getConstructors",
          "setAccessible",
          "getKieRuntime",
          "kieRuntime",
          "getKnowledgeRuntime",
          "getWorkingMemory",
          "getKieBase",
          "getEnvironment",
          // Integer.getInteger and friends read system properties.
          "getInteger",
          "getLong",
          "getBoolean",
          "wait",
          "notify",
          "notifyAll");

  private static final Set<String> ALLOWED_SIMPLE_NAMES = simpleNames(ALLOWED_CLASSES);

  /** Allowed bytecode names: {@code java/util/Map$Entry}. */
  private static final Set<String> ALLOWED_INTERNAL_NAMES = internalNames();

  private RuleCodePolicy() {}

  /**
   * Checks one parsed DRL file against the allow-list.
   *
   * @param file the file's name, for messages
   * @param drl the text the descriptors were parsed from
   * @return problems as {@code file:line: text}; empty when the file uses only allowed code
   */
  public static List<String> checkSource(String file, String drl, PackageDescr pkg) {
    List<String> problems = new ArrayList<>();
    Set<String> declared = new HashSet<>();
    for (TypeDeclarationDescr type : pkg.getTypeDeclarations()) {
      declared.add(type.getTypeName());
    }
    Set<String> importedSimple = new HashSet<>();
    for (ImportDescr imp : pkg.getImports()) {
      String target = imp.getTarget().replace(" ", "");
      if (target.endsWith(".*")) {
        problems.add(
            file
                + ":"
                + imp.getLine()
                + ": 'import "
                + target
                + "': wildcard imports are not allowed; import each class");
      } else if (!ALLOWED_CLASSES.contains(target)) {
        problems.add(file + ":" + imp.getLine() + ": " + notAllowed("import " + target));
      } else {
        importedSimple.add(target.substring(target.lastIndexOf('.') + 1));
      }
    }
    for (FunctionImportDescr imp : pkg.getFunctionImports()) {
      problems.add(
          file
              + ":"
              + imp.getLine()
              + ": 'import function "
              + imp.getTarget()
              + "': rules may not import static methods; write a DRL function");
    }
    pkg.getAccumulateImports()
        .forEach(
            imp ->
                problems.add(
                    file
                        + ":"
                        + imp.getLine()
                        + ": 'import accumulate "
                        + imp.getTarget()
                        + "': custom accumulate functions are not allowed"));
    for (GlobalDescr global : pkg.getGlobals()) {
      String type = global.getType().replace(" ", "");
      if (!ALLOWED_CLASSES.contains(type) && !ALLOWED_SIMPLE_NAMES.contains(type)) {
        problems.add(file + ":" + global.getLine() + ": " + notAllowed("global of type " + type));
      }
    }
    for (AttributeDescr attribute : pkg.getAttributes()) {
      checkDialect(file, attribute, "the package", problems);
    }
    for (RuleDescr rule : pkg.getRules()) {
      for (AttributeDescr attribute : rule.getAttributes().values()) {
        checkDialect(file, attribute, "rule \"" + rule.getName() + "\"", problems);
      }
    }
    for (TypeDeclarationDescr type : pkg.getTypeDeclarations()) {
      for (var superType : type.getSuperTypes()) {
        String name = superType.getFullName();
        if (!declared.contains(name) && !ALLOWED_CLASSES.contains(name)) {
          problems.add(
              file
                  + ":"
                  + type.getLine()
                  + ": declared type "
                  + type.getTypeName()
                  + " "
                  + notAllowed("extends " + name));
        }
      }
      for (TypeFieldDescr field : type.getFields().values()) {
        String fieldType = field.getPattern() == null ? null : field.getPattern().getObjectType();
        if (fieldType != null && !allowedTypeName(fieldType, declared)) {
          problems.add(file + ":" + field.getLine() + ": " + notAllowed("field type " + fieldType));
        }
      }
    }
    scanCode(file, drl, declared, importedSimple, problems);
    return problems;
  }

  private static void checkDialect(
      String file, AttributeDescr attribute, String owner, List<String> problems) {
    if ("dialect".equals(attribute.getName()) && !"java".equals(valueOf(attribute))) {
      problems.add(
          file
              + ":"
              + attribute.getLine()
              + ": "
              + owner
              + " sets dialect \""
              + valueOf(attribute)
              + "\": only the java dialect is allowed");
    }
  }

  private static boolean allowedTypeName(String type, Set<String> declared) {
    String base = type.replace("[]", "").strip();
    int generic = base.indexOf('<');
    if (generic >= 0) {
      base = base.substring(0, generic);
    }
    return switch (base) {
      case "int", "long", "short", "byte", "double", "float", "boolean", "char" -> true;
      default ->
          declared.contains(base)
              || ALLOWED_CLASSES.contains(base)
              || ALLOWED_SIMPLE_NAMES.contains(base);
    };
  }

  /**
   * Checks every name in the code. A dotted chain that starts with an upper-case name starts with a
   * type; one that starts with lower-case names followed by an upper-case one is a qualified type
   * name (a variable of the rule would start with {@code $} or be a global or local, none of which
   * are followed by a capitalised member in practice).
   */
  private static void scanCode(
      String file,
      String drl,
      Set<String> declared,
      Set<String> importedSimple,
      List<String> problems) {
    Set<String> reported = new TreeSet<>();
    DrlTokens.ProblemSink sink = (line, text) -> report(file, line, text, reported, problems);
    String resolved = DrlTokens.resolveEscapes(drl, sink);
    scanTokens(file, DrlTokens.of(drl), declared, importedSimple, reported, problems);
    if (!resolved.equals(drl)) {
      // What javac sees (escapes resolved) may differ from what MVEL sees: check both.
      scanTokens(file, DrlTokens.of(resolved), declared, importedSimple, reported, problems);
    }
  }

  private static void scanTokens(
      String file,
      List<DrlTokens.Token> tokens,
      Set<String> declared,
      Set<String> importedSimple,
      Set<String> reported,
      List<String> problems) {
    int i = 0;
    while (i < tokens.size()) {
      DrlTokens.Token token = tokens.get(i);
      if (!token.isIdentifier()) {
        i++;
        continue;
      }
      boolean member = i > 0 && tokens.get(i - 1).is(".");
      boolean annotation = i > 0 && tokens.get(i - 1).is("@");
      List<DrlTokens.Token> chain = new ArrayList<>();
      chain.add(token);
      int j = i + 1;
      while (j + 1 < tokens.size() && tokens.get(j).is(".") && tokens.get(j + 1).isIdentifier()) {
        chain.add(tokens.get(j + 1));
        j += 2;
      }
      i = j;
      for (int k = member ? 0 : 1; k < chain.size(); k++) {
        DrlTokens.Token m = chain.get(k);
        if (FORBIDDEN_MEMBERS.contains(m.text())) {
          report(file, m.line(), "'" + m.text() + "' is not allowed in rules", reported, problems);
        }
      }
      if (annotation && chain.size() > 1) {
        // Drools resolves a qualified annotation to a class; rule metadata needs none.
        report(
            file,
            token.line(),
            "'@" + joined(chain) + "': qualified annotations are not allowed in rules",
            reported,
            problems);
      }
      if (member || annotation) {
        continue;
      }
      String first = chain.get(0).text();
      if (first.equals("class")) {
        report(file, token.line(), "'class' is not allowed in rules", reported, problems);
        continue;
      }
      if (Character.isUpperCase(first.charAt(0))) {
        if (!ALLOWED_SIMPLE_NAMES.contains(first)
            && !declared.contains(first)
            && !importedSimple.contains(first)) {
          report(file, token.line(), notAllowed(first), reported, problems);
        }
        continue;
      }
      for (int k = 1; k < chain.size(); k++) {
        if (Character.isUpperCase(chain.get(k).text().charAt(0))) {
          StringBuilder qualified = new StringBuilder(first);
          for (int q = 1; q <= k; q++) {
            qualified.append('.').append(chain.get(q).text());
          }
          // java.util.Map.Entry: the nested class is part of the qualified name.
          if (k + 1 < chain.size()
              && Character.isUpperCase(chain.get(k + 1).text().charAt(0))
              && ALLOWED_CLASSES.contains(qualified + "." + chain.get(k + 1).text())) {
            break;
          }
          String name = qualified.toString();
          if (!ALLOWED_CLASSES.contains(name) && !declared.contains(name)) {
            report(file, token.line(), notAllowed(name), reported, problems);
          }
          break;
        }
      }
    }
  }

  private static String joined(List<DrlTokens.Token> chain) {
    StringBuilder text = new StringBuilder();
    for (DrlTokens.Token t : chain) {
      text.append(text.length() == 0 ? "" : ".").append(t.text());
    }
    return text.toString();
  }

  private static void report(
      String file, int line, String text, Set<String> reported, List<String> problems) {
    String problem = file + ":" + line + ": " + text;
    if (reported.add(problem)) {
      problems.add(problem);
    }
  }

  private static String notAllowed(String what) {
    return "'"
        + what
        + "' is not allowed in rules: a rule may use only data types, collections, java.time,"
        + " Event, Severity and the detections global (see rules/README.md, allow-list)";
  }

  /**
   * Checks the classes Drools generated for a pack: every class they refer to (method owners, field
   * and method types, casts, constants, bootstrap methods) must be allowed, generated by the same
   * compile, or part of the rule engine's own glue.
   *
   * @param classes class bytes by resource name ({@code org/x/Rule_a.class})
   * @param declaredTypes qualified names of the types the pack declares ({@code declare}): Drools
   *     generates them from their fields alone, so rules may use them
   *     <p>{@code java.lang.Class} is allowed as a type only (Drools' invokers pass their classes
   *     around): a call of any of its methods ({@code forName}, {@code getMethod}, ...) is refused.
   * @return problems naming the generated class (and so the rule) and what it refers to
   */
  public static List<String> checkBytecode(Map<String, byte[]> classes, Set<String> declaredTypes) {
    Set<String> generated = new HashSet<>();
    for (String type : declaredTypes) {
      generated.add(type.replace('.', '/'));
    }
    for (String resource : classes.keySet()) {
      if (resource.endsWith(".class")) {
        generated.add(resource.substring(0, resource.length() - ".class".length()));
      }
    }
    List<String> problems = new ArrayList<>();
    for (Map.Entry<String, byte[]> entry : new java.util.TreeMap<>(classes).entrySet()) {
      if (!entry.getKey().endsWith(".class")) {
        continue;
      }
      Set<String> referenced = referencedClasses(entry.getValue());
      for (String name : referenced) {
        if (name.startsWith(CLASS_METHOD)) {
          String owner = entry.getKey().substring(0, entry.getKey().length() - 6);
          problems.add(
              "(compiled "
                  + owner.replace('/', '.')
                  + "): '"
                  + name.replace('/', '.')
                  + "' is not allowed in rules: no method of java.lang.Class may be called");
          continue;
        }
        if (!generated.contains(name)
            && !ALLOWED_INTERNAL_NAMES.contains(name)
            && !name.startsWith(BIT_MASKS)) {
          String owner = entry.getKey().substring(0, entry.getKey().length() - 6);
          problems.add(
              "(compiled "
                  + owner.replace('/', '.')
                  + "): "
                  + notAllowed(name.replace('/', '.').replace('$', '.')));
        }
      }
    }
    return problems;
  }

  private static final String CLASS_METHOD = "java/lang/Class.";
  private static final String STRING_CONCAT = "java/lang/invoke/StringConcatFactory";

  /** Property-reactivity masks that {@code modify} compiles to: plain bit sets. */
  private static final String BIT_MASKS = "org/drools/util/bitmask/";

  /**
   * Every class a class file names, in any position, as internal names; and every call of a method
   * of {@code java.lang.Class}, as {@code java/lang/Class.name}.
   */
  static Set<String> referencedClasses(byte[] classFile) {
    Set<String> names = new TreeSet<>();
    Remapper recorder =
        new Remapper(Opcodes.ASM9) {
          @Override
          public String map(String internalName) {
            names.add(internalName);
            return internalName;
          }
        };
    // The remapper visits a member only when its delegate does: a ClassWriter visits all of them,
    // method bodies included.
    ClassVisitor classCalls =
        new ClassVisitor(Opcodes.ASM9, new ClassRemapper(new ClassWriter(0), recorder)) {
          @Override
          public void visitInnerClass(String name, String outer, String inner, int access) {
            // Compilers list MethodHandles.Lookup as an inner class of every class with a call
            // site; the call sites themselves are checked below.
            if (!name.equals("java/lang/invoke/MethodHandles$Lookup")) {
              super.visitInnerClass(name, outer, inner, access);
            }
          }

          @Override
          public MethodVisitor visitMethod(
              int access, String name, String descriptor, String signature, String[] exceptions) {
            MethodVisitor next = super.visitMethod(access, name, descriptor, signature, exceptions);
            return new MethodVisitor(Opcodes.ASM9, next) {
              @Override
              public void visitMethodInsn(
                  int opcode, String owner, String method, String desc, boolean isInterface) {
                if (owner.equals("java/lang/Class")) {
                  names.add(CLASS_METHOD + method);
                }
                super.visitMethodInsn(opcode, owner, method, desc, isInterface);
              }

              @Override
              public void visitInvokeDynamicInsn(
                  String method, String desc, Handle bootstrap, Object... arguments) {
                for (Object argument : arguments) {
                  if (argument instanceof Handle h && h.getOwner().equals("java/lang/Class")) {
                    names.add(CLASS_METHOD + h.getName());
                  }
                }
                if (bootstrap.getOwner().equals(STRING_CONCAT)) {
                  // javac and ECJ compile "a" + b to this call site: its bootstrap method is
                  // java.lang.invoke, but all it can do is concatenate the values it is given.
                  recorder.mapMethodDesc(desc);
                  for (Object argument : arguments) {
                    recorder.mapValue(argument);
                  }
                  return;
                }
                super.visitInvokeDynamicInsn(method, desc, bootstrap, arguments);
              }
            };
          }
        };
    new ClassReader(classFile).accept(classCalls, 0);
    return names;
  }

  private static Set<String> simpleNames(Set<String> qualified) {
    Set<String> names = new HashSet<>();
    for (String name : qualified) {
      names.add(name.substring(name.lastIndexOf('.') + 1));
    }
    return Set.copyOf(names);
  }

  private static Set<String> internalNames() {
    Set<String> names = new HashSet<>();
    for (Set<String> set : List.of(ALLOWED_CLASSES, ENGINE_CLASSES)) {
      for (String name : set) {
        names.add(internalName(name));
      }
    }
    return Set.copyOf(names);
  }

  /** {@code java.util.Map.Entry} to {@code java/util/Map$Entry}: nested classes follow a '$'. */
  static String internalName(String qualified) {
    String[] parts = qualified.split("\\.");
    StringBuilder name = new StringBuilder();
    boolean inClass = false;
    for (int i = 0; i < parts.length; i++) {
      if (i > 0) {
        name.append(inClass ? '$' : '/');
      }
      name.append(parts[i]);
      inClass |= Character.isUpperCase(parts[i].charAt(0));
    }
    return name.toString();
  }

  /** The value of a DRL attribute, unquoted. */
  private static String valueOf(AttributeDescr attribute) {
    String value = attribute.getValue();
    return value == null ? "" : value.replace("\"", "").strip();
  }
}
