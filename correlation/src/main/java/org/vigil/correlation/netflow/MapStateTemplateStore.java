package org.vigil.correlation.netflow;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.state.MapState;
import org.vigil.collectors.netflow.Template;
import org.vigil.collectors.netflow.TemplateKey;
import org.vigil.collectors.netflow.TemplateStore;

/**
 * The decoder's {@link TemplateStore} over Flink keyed {@link MapState}: templates of the current
 * exporter key, checkpointed with the job and expired by the state's TTL.
 *
 * <p>A failing state backend is not bad input, so its exceptions are rethrown unchecked and fail
 * the task, which Flink then restores from the last checkpoint.
 */
final class MapStateTemplateStore implements TemplateStore {

  /** Keyed state failed: distinct from a decoder fault so that it is not dead-lettered as input. */
  static final class TemplateStateException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    TemplateStateException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private final MapState<TemplateKey, Template> state;

  MapStateTemplateStore(MapState<TemplateKey, Template> state) {
    this.state = state;
  }

  @Override
  public Template get(TemplateKey key) {
    try {
      return state.get(key);
    } catch (Exception e) {
      throw new TemplateStateException("reading template " + key + " from keyed state failed", e);
    }
  }

  @Override
  public void put(TemplateKey key, Template template) {
    try {
      state.put(key, template);
    } catch (Exception e) {
      throw new TemplateStateException("writing template " + key + " to keyed state failed", e);
    }
  }

  @Override
  public void remove(TemplateKey key) {
    try {
      state.remove(key);
    } catch (Exception e) {
      throw new TemplateStateException("removing template " + key + " from keyed state failed", e);
    }
  }

  @Override
  public void removeAll(int version, long domainId, boolean optionsTemplates) {
    try {
      List<TemplateKey> doomed = new ArrayList<>();
      for (Map.Entry<TemplateKey, Template> e : state.entries()) {
        TemplateKey k = e.getKey();
        if (k.version() == version
            && k.domainId() == domainId
            && e.getValue().options() == optionsTemplates) {
          doomed.add(k);
        }
      }
      for (TemplateKey k : doomed) {
        state.remove(k);
      }
    } catch (Exception e) {
      throw new TemplateStateException(
          "withdrawing templates of domain " + domainId + " failed", e);
    }
  }
}
