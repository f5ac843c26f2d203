import ArgumentParser

/// `calls devices`: the devices the user may see, one of them, or its do-not-disturb setting.
struct DevicesCommand: AsyncParsableCommand {
    /// The subcommand's name, summary and help.
    static let configuration = CommandConfiguration(
        commandName: "devices",
        abstract: "List the devices the user may see, show one, or turn its do-not-disturb on or off.",
        discussion: """
            An agent sees its own devices, an admin every device of the directory; a device the user \
            may not see answers as one that does not exist (statusCode 6, exit 1). Without a \
            subcommand: list.
            """,
        subcommands: [ListDevicesCommand.self, GetDeviceCommand.self, DoNotDisturbCommand.self],
        defaultSubcommand: ListDevicesCommand.self
    )
}
