package org.vigil.dashboards;

import java.time.Duration;
import java.util.List;
import org.vigil.rules.engine.RuleRelease;
import org.vigil.rules.release.RuleReleasePublisher;

/** Releases on Kafka's {@code vigil.rules} topics, exactly as {@code vigil rules deploy} writes. */
public final class KafkaRuleReleaseStore implements RuleReleaseStore {
  private final RuleReleasePublisher publisher;

  public KafkaRuleReleaseStore(String bootstrap, Duration timeout) {
    this.publisher = new RuleReleasePublisher(bootstrap, timeout);
  }

  @Override
  public List<RuleRelease> history(String ruleset) {
    return publisher.history(ruleset);
  }

  @Override
  public void publish(RuleRelease release) throws InterruptedException {
    publisher.publish(release);
  }
}
