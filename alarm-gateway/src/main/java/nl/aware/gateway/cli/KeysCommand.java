package nl.aware.gateway.cli;

import nl.aware.core.crypto.DataKeyRing;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

@Command(name = "keys", mixinStandardHelpOptions = true,
        description = "The data keys (AES-256-GCM) that encrypt personal data at rest.",
        subcommands = {KeysCommand.Init.class, KeysCommand.Rotate.class})
final class KeysCommand {

    @Command(name = "init", mixinStandardHelpOptions = true,
            description = "Create the key directory (0700) with its first key. Refuses a directory that holds keys.")
    static final class Init implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        KeyDirOption keys;

        @Override
        public Integer call() throws Exception {
            DataKeyRing ring = DataKeyRing.create(keys.keyDir);
            spec.commandLine().getOut().printf("data key %d written to %s; back it up apart from the data%n",
                    ring.currentKeyId(), keys.keyDir);
            return 0;
        }
    }

    @Command(name = "rotate", mixinStandardHelpOptions = true,
            description = "Add a new key; it seals all new data from the next server start. Old keys stay to open old data.")
    static final class Rotate implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        KeyDirOption keys;

        @Override
        public Integer call() throws Exception {
            int id = keys.load().rotate();
            spec.commandLine().getOut().printf("data key %d added to %s; restart the server to use it%n", id, keys.keyDir);
            return 0;
        }
    }
}
