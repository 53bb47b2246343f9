package nl.aware.gateway;

import nl.aware.core.protocol.CommandResult;
import nl.aware.core.protocol.DeviceCommand;
import nl.aware.gateway.netty.DeviceCommands;
import nl.aware.web.controlroom.DeviceListening;

import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * The control room's live listening through the gateway's {@link DeviceCommands}: LISTEN and STOP are sent and
 * recorded there like every command; this only translates the device's answer into the console's words.
 */
final class CommandListening implements DeviceListening {
    private final DeviceCommands commands;

    CommandListening(DeviceCommands commands) {
        this.commands = commands;
    }

    @Override
    public CompletableFuture<Answer> listen(long deviceId, int seconds, String by, UUID alertId) {
        return commands.send(deviceId, DeviceCommand.LISTEN, seconds, by, alertId).thenApply(CommandListening::answer);
    }

    @Override
    public CompletableFuture<Answer> stop(long deviceId, String by, UUID alertId) {
        return commands.send(deviceId, DeviceCommand.STOP, 0, by, alertId).thenApply(CommandListening::answer);
    }

    static Answer answer(DeviceCommands.Outcome outcome) {
        if (outcome instanceof DeviceCommands.Outcome.Answered answered) {
            CommandResult.Outcome result = answered.result();
            return result == CommandResult.Outcome.STARTED || result == CommandResult.Outcome.DONE
                    ? Answer.LISTENING : Answer.REFUSED;
        }
        if (outcome instanceof DeviceCommands.Outcome.NoAnswer) {
            return Answer.NO_ANSWER;
        }
        return Answer.NOT_CONNECTED;
    }
}
