package org.vigil.correlation.types;

import java.lang.reflect.Type;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.vigil.model.Event;

/**
 * Makes Flink serialize {@link Event} with {@link EventSerializer} wherever it meets one: in a
 * stream, as a field of another record ({@code RoutedEvent}) and in state. {@code event-model}
 * knows nothing of Flink, so the type is registered through the pipeline's serialization
 * configuration rather than annotated.
 */
public final class EventTypes {
  private static boolean registered;

  private EventTypes() {}

  /**
   * Registers the serializer; call it before the first operator is added, since Flink fixes each
   * stream's type as the operator that makes it is added. The registration holds for every
   * environment of this JVM: the first call makes it, later ones find it made. A TaskManager
   * elsewhere needs none: the job graph carries the serializers, and the state descriptors name
   * {@link EventTypeInfo} themselves.
   */
  public static synchronized void register(StreamExecutionEnvironment env) {
    // Flink's type extractor keeps the registration for the whole JVM (for this Event class) and
    // refuses a second one, which a second environment in the same JVM (tests, benches) would make.
    if (registered) {
      return;
    }
    Configuration conf = new Configuration();
    conf.set(PipelineOptions.SERIALIZATION_CONFIG, List.of(registration()));
    env.configure(conf);
    registered = true;
  }

  /** The entry of {@link PipelineOptions#SERIALIZATION_CONFIG} that registers the serializer. */
  private static String registration() {
    return Event.class.getName() + ": {type: typeinfo, class: " + Factory.class.getName() + "}";
  }

  /** Gives Flink {@link EventTypeInfo} for {@link Event}. */
  public static final class Factory extends TypeInfoFactory<Event> {
    @Override
    public TypeInformation<Event> createTypeInfo(
        Type type, Map<String, TypeInformation<?>> genericParameters) {
      return EventTypeInfo.INSTANCE;
    }
  }
}
