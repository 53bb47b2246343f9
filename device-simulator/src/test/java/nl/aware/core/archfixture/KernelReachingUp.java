package nl.aware.core.archfixture;

import nl.aware.gateway.AwareServer;

/**
 * A test fixture that breaks the layering on purpose (a kernel package using the gateway):
 * {@code ArchitectureTest} checks that the layer rule reports it. Never on a main class path.
 */
public final class KernelReachingUp {
    public AwareServer server;
}
