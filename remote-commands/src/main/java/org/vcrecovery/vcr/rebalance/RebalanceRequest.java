package org.vcrecovery.vcr.rebalance;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * What {@code vcr rebalance} was asked, as picocli read it (validated by {@link RebalanceRun}).
 *
 * @param service  only this service (null: any on {@code from})
 * @param max      at most this many services move
 * @param maxLoad  a target's CPU average must be below this (%)
 * @param drain    the wait between the switch and stopping the old standby (null: the record's TTL)
 */
record RebalanceRequest(String from, String service, boolean plan, boolean pending, boolean json, int max, double maxLoad,
                        Duration drain, Path config, Path runbooks, Path stateDir, Map<String, String> environment) {}
