package io.github.cloudinarybackup.cli;

import io.github.cloudinarybackup.ExitCode;
import io.github.cloudinarybackup.emulator.EmulatorMain;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/**
 * {@code emulator}: the project's Cloudinary emulator, with its own options ({@code emulator
 * --help}).
 */
@Command(
    name = "emulator",
    header =
        "Serve an emulated Cloudinary account on 127.0.0.1 (the tests' and the demo's); 'emulator --help' lists its options.")
final class EmulatorSubcommand implements Callable<Integer> {

  @Unmatched List<String> options = new ArrayList<>();

  @Override
  public Integer call() throws InterruptedException {
    EmulatorMain.main(options.toArray(String[]::new));
    return ExitCode.OK;
  }
}
