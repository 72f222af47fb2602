<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en">
<context>
    <name>AboutDialog</name>
    <message>
        <source>About Declarant Desk</source>
        <translation>About Declarant Desk</translation>
    </message>
    <message>
        <source>Version</source>
        <translation>Version</translation>
    </message>
    <message>
        <source>Qt / PySide6</source>
        <translation>Qt / PySide6</translation>
    </message>
    <message>
        <source>Python</source>
        <translation>Python</translation>
    </message>
    <message>
        <source>Data folder</source>
        <translation>Data folder</translation>
    </message>
    <message>
        <source>Log folder</source>
        <translation>Log folder</translation>
    </message>
    <message>
        <source>Mode</source>
        <translation>Mode</translation>
    </message>
    <message>
        <source>demo data</source>
        <translation>demo data</translation>
    </message>
    <message>
        <source>Plugins</source>
        <translation>Plugins</translation>
    </message>
    <message>
        <source>Declarant Desk: customs declarations and the service-quality assessment.</source>
        <translation>Declarant Desk: customs declarations and the service-quality assessment.</translation>
    </message>
</context>
<context>
    <name>App</name>
    <message>
        <source>No declarations yet: sign in to receive them, or try the program with --demo.</source>
        <translation>No declarations yet: sign in to receive them, or try the program with --demo.</translation>
    </message>
    <message>
        <source>Language changed. Some parts of the window change after a restart.</source>
        <translation>Language changed. Some parts of the window change after a restart.</translation>
    </message>
    <message>
        <source>The data folder %1 cannot be used: %2</source>
        <translation>The data folder %1 cannot be used: %2</translation>
    </message>
    <message>
        <source>The server address takes effect after a restart.</source>
        <translation>The server address takes effect after a restart.</translation>
    </message>
    <message>
        <source>A service failed to start (see Help → Plugins).</source>
        <translation>A service failed to start (see Help → Plugins).</translation>
    </message>
    <message>
        <source>Declarant Desk cannot start</source>
        <translation>Declarant Desk cannot start</translation>
    </message>
</context>
<context>
    <name>Credentials</name>
    <message>
        <source>No credential store is available on this computer (%1).</source>
        <translation>No credential store is available on this computer (%1).</translation>
    </message>
    <message>
        <source>This computer has no secure credential store: your password will not be remembered on this computer and you will be asked for it each time.</source>
        <translation>This computer has no secure credential store: your password will not be remembered on this computer and you will be asked for it each time.</translation>
    </message>
    <message>
        <source>The password is empty.</source>
        <translation>The password is empty.</translation>
    </message>
    <message>
        <source>The credential store refused to save the password: your password will not be remembered on this computer.</source>
        <translation>The credential store refused to save the password: your password will not be remembered on this computer.</translation>
    </message>
</context>
<context>
    <name>DeclarationList</name>
    <message>
        <source>The declaration store is busy (locked by another program). Try again in a moment.</source>
        <translation>The declaration store is busy (locked by another program). Try again in a moment.</translation>
    </message>
    <message>
        <source>The declaration store cannot be read: %1</source>
        <translation>The declaration store cannot be read: %1</translation>
    </message>
    <message>
        <source>The declaration list failed: %1</source>
        <translation>The declaration list failed: %1</translation>
    </message>
    <message>
        <source>Not cleared yet; goods released on %1</source>
        <translation>Not cleared yet; goods released on %1</translation>
    </message>
    <message>
        <source>Not cleared yet; goods brought to preservation on %1</source>
        <translation>Not cleared yet; goods brought to preservation on %1</translation>
    </message>
    <message>
        <source>Decl. no.</source>
        <translation>Decl. no.</translation>
    </message>
    <message>
        <source>First declaration: %1</source>
        <translation>First declaration: %1</translation>
    </message>
    <message>
        <source>Reg. date</source>
        <translation>Reg. date</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>Type</translation>
    </message>
    <message>
        <source>Type code (its name is shown as a tooltip)</source>
        <translation>Type code (its name is shown as a tooltip)</translation>
    </message>
    <message>
        <source>Customs office</source>
        <translation>Customs office</translation>
    </message>
    <message>
        <source>Channel</source>
        <translation>Channel</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Partner</source>
        <translation>Partner</translation>
    </message>
    <message>
        <source>Total value</source>
        <translation>Total value</translation>
    </message>
    <message>
        <source>Total invoice value</source>
        <translation>Total invoice value</translation>
    </message>
    <message>
        <source>Clearance date</source>
        <translation>Clearance date</translation>
    </message>
    <message>
        <source>&amp;Direction:</source>
        <translation>&amp;Direction:</translation>
    </message>
    <message>
        <source>S&amp;tatus:</source>
        <translation>S&amp;tatus:</translation>
    </message>
    <message>
        <source>C&amp;hannel:</source>
        <translation>C&amp;hannel:</translation>
    </message>
    <message>
        <source>Offi&amp;ce:</source>
        <translation>Offi&amp;ce:</translation>
    </message>
    <message>
        <source>Fro&amp;m:</source>
        <translation>Fro&amp;m:</translation>
    </message>
    <message>
        <source>T&amp;o:</source>
        <translation>T&amp;o:</translation>
    </message>
    <message>
        <source>&amp;Search:</source>
        <translation>&amp;Search:</translation>
    </message>
    <message>
        <source>Declaration number or partner (Ctrl+F)</source>
        <translation>Declaration number or partner (Ctrl+F)</translation>
    </message>
    <message>
        <source>&amp;Reset</source>
        <translation>&amp;Reset</translation>
    </message>
    <message>
        <source>Show all declarations</source>
        <translation>Show all declarations</translation>
    </message>
    <message>
        <source>Back to all declarations</source>
        <translation>Back to all declarations</translation>
    </message>
    <message>
        <source>All dates</source>
        <translation>All dates</translation>
    </message>
    <message>
        <source>All</source>
        <translation>All</translation>
    </message>
    <message>
        <source>Import</source>
        <translation>Import</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>Export</translation>
    </message>
    <message>
        <source>All statuses</source>
        <translation>All statuses</translation>
    </message>
    <message>
        <source>All channels</source>
        <translation>All channels</translation>
    </message>
    <message>
        <source>All offices</source>
        <translation>All offices</translation>
    </message>
    <message>
        <source>(several)</source>
        <translation>(several)</translation>
    </message>
    <message>
        <source>(several statuses)</source>
        <translation>(several statuses)</translation>
    </message>
    <message>
        <source>(several channels)</source>
        <translation>(several channels)</translation>
    </message>
    <message>
        <source>%1 declarations</source>
        <translation>%1 declarations</translation>
    </message>
    <message>
        <source>%1+ declarations (counting…)</source>
        <translation>%1+ declarations (counting…)</translation>
    </message>
    <message>
        <source>Try again</source>
        <translation>Try again</translation>
    </message>
    <message>
        <source>Declaration list</source>
        <translation>Declaration list</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>Loading…</translation>
    </message>
    <message>
        <source>Loading declarations…</source>
        <translation>Loading declarations…</translation>
    </message>
</context>
<context>
    <name>Demo</name>
    <message>
        <source>The demo server did not start: %1</source>
        <translation>The demo server did not start: %1</translation>
    </message>
</context>
<context>
    <name>HostApi</name>
    <message>
        <source>The declaration store is not open.</source>
        <translation>The declaration store is not open.</translation>
    </message>
    <message>
        <source>The declaration list is not available.</source>
        <translation>The declaration list is not available.</translation>
    </message>
    <message>
        <source>Sending is not available in this program: the outbox is not installed.</source>
        <translation>Sending is not available in this program: the outbox is not installed.</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>The declaration list is not available.</source>
        <translation>The declaration list is not available.</translation>
    </message>
    <message>
        <source>Export declarations</source>
        <translation>Export declarations</translation>
    </message>
    <message>
        <source>Import declarations</source>
        <translation>Import declarations</translation>
    </message>
    <message>
        <source>demo data</source>
        <translation>demo data</translation>
    </message>
    <message>
        <source>&amp;System</source>
        <translation>&amp;System</translation>
    </message>
    <message>
        <source>&amp;Export declarations</source>
        <translation>&amp;Export declarations</translation>
    </message>
    <message>
        <source>&amp;Import declarations</source>
        <translation>&amp;Import declarations</translation>
    </message>
    <message>
        <source>&amp;Other operations</source>
        <translation>&amp;Other operations</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Help</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>&amp;Language</translation>
    </message>
    <message>
        <source>Sign &amp;in…</source>
        <translation>Sign &amp;in…</translation>
    </message>
    <message>
        <source>Sign &amp;out</source>
        <translation>Sign &amp;out</translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation>&amp;Settings…</translation>
    </message>
    <message>
        <source>E&amp;xit</source>
        <translation>E&amp;xit</translation>
    </message>
    <message>
        <source>Export declaration list</source>
        <translation>Export declaration list</translation>
    </message>
    <message>
        <source>All declarations</source>
        <translation>All declarations</translation>
    </message>
    <message>
        <source>Import declaration list</source>
        <translation>Import declaration list</translation>
    </message>
    <message>
        <source>&amp;About Declarant Desk</source>
        <translation>&amp;About Declarant Desk</translation>
    </message>
    <message>
        <source>&amp;Plugins…</source>
        <translation>&amp;Plugins…</translation>
    </message>
    <message>
        <source>Open &amp;log folder</source>
        <translation>Open &amp;log folder</translation>
    </message>
    <message>
        <source>Signing in is not available in this program.</source>
        <translation>Signing in is not available in this program.</translation>
    </message>
    <message>
        <source>(No operations: no plugin added one)</source>
        <translation>(No operations: no plugin added one)</translation>
    </message>
</context>
<context>
    <name>OutboxWindow</name>
    <message>
        <source>Assessment</source>
        <translation>Assessment</translation>
    </message>
    <message>
        <source>Reflection</source>
        <translation>Reflection</translation>
    </message>
    <message>
        <source>Enterprise information</source>
        <translation>Enterprise information</translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation>Waiting</translation>
    </message>
    <message>
        <source>Sending</source>
        <translation>Sending</translation>
    </message>
    <message>
        <source>Sent</source>
        <translation>Sent</translation>
    </message>
    <message>
        <source>Refused</source>
        <translation>Refused</translation>
    </message>
    <message>
        <source>Damaged</source>
        <translation>Damaged</translation>
    </message>
    <message>
        <source>Recorded</source>
        <translation>Recorded</translation>
    </message>
    <message>
        <source>Declaration</source>
        <translation>Declaration</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Kind</translation>
    </message>
    <message>
        <source>State</source>
        <translation>State</translation>
    </message>
    <message>
        <source>Sent on</source>
        <translation>Sent on</translation>
    </message>
    <message>
        <source>Server reference</source>
        <translation>Server reference</translation>
    </message>
    <message>
        <source>Server answer</source>
        <translation>Server answer</translation>
    </message>
    <message>
        <source>Id</source>
        <translation>Id</translation>
    </message>
    <message>
        <source>Damaged on this computer: it will not be sent. The stored bytes are kept for customs IT; send the entries again if needed.</source>
        <translation>Damaged on this computer: it will not be sent. The stored bytes are kept for customs IT; send the entries again if needed.</translation>
    </message>
    <message>
        <source>Set apart on %1</source>
        <translation>Set apart on %1</translation>
    </message>
    <message>
        <source>Damaged: %1</source>
        <translation>Damaged: %1</translation>
    </message>
    <message>
        <source>Account</source>
        <translation>Account</translation>
    </message>
    <message>
        <source>Not sent yet: %1</source>
        <translation>Not sent yet: %1</translation>
    </message>
    <message>
        <source>Not sent yet: it will be tried again</source>
        <translation>Not sent yet: it will be tried again</translation>
    </message>
    <message>
        <source>Received</source>
        <translation>Received</translation>
    </message>
    <message>
        <source>Being reviewed</source>
        <translation>Being reviewed</translation>
    </message>
    <message>
        <source>Answered</source>
        <translation>Answered</translation>
    </message>
    <message>
        <source>Answered on %1</source>
        <translation>Answered on %1</translation>
    </message>
    <message>
        <source>Content removed on %1 (kept only for the retention period); the history stays</source>
        <translation>Content removed on %1 (kept only for the retention period); the history stays</translation>
    </message>
    <message>
        <source>Outbox</source>
        <translation>Outbox</translation>
    </message>
    <message>
        <source>Waiting to be sent</source>
        <translation>Waiting to be sent</translation>
    </message>
    <message>
        <source>Refused by the server</source>
        <translation>Refused by the server</translation>
    </message>
    <message>
        <source>Damaged on this computer</source>
        <translation>Damaged on this computer</translation>
    </message>
    <message>
        <source>All</source>
        <translation>All</translation>
    </message>
    <message>
        <source>Show:</source>
        <translation>Show:</translation>
    </message>
    <message>
        <source>Sync now</source>
        <translation>Sync now</translation>
    </message>
    <message>
        <source>Send again</source>
        <translation>Send again</translation>
    </message>
    <message>
        <source>Send the selected refused items again, unchanged.</source>
        <translation>Send the selected refused items again, unchanged.</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>Waiting: %1 · Refused: %2 · Sent: %3</source>
        <translation>Waiting: %1 · Refused: %2 · Sent: %3</translation>
    </message>
</context>
<context>
    <name>PluginHost</name>
    <message>
        <source>not a version number: %1</source>
        <translation>not a version number: %1</translation>
    </message>
    <message>
        <source>host_api must be a version range such as "&gt;=1.0,&lt;2.0"</source>
        <translation>host_api must be a version range such as "&gt;=1.0,&lt;2.0"</translation>
    </message>
    <message>
        <source>malformed host_api clause %1</source>
        <translation>malformed host_api clause %1</translation>
    </message>
    <message>
        <source>~= needs at least two version parts</source>
        <translation>~= needs at least two version parts</translation>
    </message>
    <message>
        <source>missing or empty manifest fields: %1</source>
        <translation>missing or empty manifest fields: %1</translation>
    </message>
    <message>
        <source>invalid plugin id %1 (lower-case letters, digits and _)</source>
        <translation>invalid plugin id %1 (lower-case letters, digits and _)</translation>
    </message>
    <message>
        <source>the folder is named %1 but the manifest id is %2</source>
        <translation>the folder is named %1 but the manifest id is %2</translation>
    </message>
    <message>
        <source>entry must be 'module:callable', not %1</source>
        <translation>entry must be 'module:callable', not %1</translation>
    </message>
    <message>
        <source>enabled_by_default must be true or false</source>
        <translation>enabled_by_default must be true or false</translation>
    </message>
    <message>
        <source>no plugin.toml in %1</source>
        <translation>no plugin.toml in %1</translation>
    </message>
    <message>
        <source>plugin.toml is not valid TOML: %1</source>
        <translation>plugin.toml is not valid TOML: %1</translation>
    </message>
    <message>
        <source>cannot read plugin.toml: %1</source>
        <translation>cannot read plugin.toml: %1</translation>
    </message>
    <message>
        <source>a plugin with the id %1 is already provided by %2</source>
        <translation>a plugin with the id %1 is already provided by %2</translation>
    </message>
    <message>
        <source>package %1 of the entry point %2 not found</source>
        <translation>package %1 of the entry point %2 not found</translation>
    </message>
    <message>
        <source>the entry point name %1 differs from the manifest id %2</source>
        <translation>the entry point name %1 differs from the manifest id %2</translation>
    </message>
    <message>
        <source>needs host API %1; this program provides %2</source>
        <translation>needs host API %1; this program provides %2</translation>
    </message>
    <message>
        <source>The plugin “%1” had an error (see Help → Plugins).</source>
        <translation>The plugin “%1” had an error (see Help → Plugins).</translation>
    </message>
</context>
<context>
    <name>PluginState</name>
    <message>
        <source>loaded</source>
        <translation>loaded</translation>
    </message>
    <message>
        <source>disabled</source>
        <translation>disabled</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>failed</translation>
    </message>
    <message>
        <source>incompatible</source>
        <translation>incompatible</translation>
    </message>
    <message>
        <source>invalid manifest</source>
        <translation>invalid manifest</translation>
    </message>
    <message>
        <source>duplicate</source>
        <translation>duplicate</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>stopped</translation>
    </message>
    <message>
        <source>not loaded</source>
        <translation>not loaded</translation>
    </message>
</context>
<context>
    <name>PluginsDialog</name>
    <message>
        <source>Plugins</source>
        <translation>Plugins</translation>
    </message>
    <message>
        <source>Untick a plugin to disable it. Changes take effect the next time the program starts.</source>
        <translation>Untick a plugin to disable it. Changes take effect the next time the program starts.</translation>
    </message>
    <message>
        <source>On</source>
        <translation>On</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Version</source>
        <translation>Version</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>Source</translation>
    </message>
    <message>
        <source>State</source>
        <translation>State</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>Error</translation>
    </message>
    <message>
        <source>bundled</source>
        <translation>bundled</translation>
    </message>
    <message>
        <source>installed</source>
        <translation>installed</translation>
    </message>
    <message>
        <source>user folder</source>
        <translation>user folder</translation>
    </message>
    <message>
        <source>development folder</source>
        <translation>development folder</translation>
    </message>
    <message>
        <source>Errors since start: %1. Last: %2</source>
        <translation>Errors since start: %1. Last: %2</translation>
    </message>
    <message>
        <source>Services that failed to start:</source>
        <translation>Services that failed to start:</translation>
    </message>
    <message>
        <source>Host API: %1</source>
        <translation>Host API: %1</translation>
    </message>
    <message>
        <source>Plugin changes take effect the next time the program starts.</source>
        <translation>Plugin changes take effect the next time the program starts.</translation>
    </message>
</context>
<context>
    <name>QGnomeTheme</name>
    <message>
        <source>&amp;OK</source>
        <translation>&amp;OK</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>&amp;Save</translation>
    </message>
    <message>
        <source>&amp;Cancel</source>
        <translation>&amp;Cancel</translation>
    </message>
    <message>
        <source>&amp;Close</source>
        <translation>&amp;Close</translation>
    </message>
    <message>
        <source>Close without Saving</source>
        <translation>Close without Saving</translation>
    </message>
</context>
<context>
    <name>QPlatformTheme</name>
    <message>
        <source>OK</source>
        <translation>OK</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Save</translation>
    </message>
    <message>
        <source>Save All</source>
        <translation>Save All</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>Open</translation>
    </message>
    <message>
        <source>&amp;Yes</source>
        <translation>&amp;Yes</translation>
    </message>
    <message>
        <source>Yes to &amp;All</source>
        <translation>Yes to &amp;All</translation>
    </message>
    <message>
        <source>&amp;No</source>
        <translation>&amp;No</translation>
    </message>
    <message>
        <source>N&amp;o to All</source>
        <translation>N&amp;o to All</translation>
    </message>
    <message>
        <source>Abort</source>
        <translation>Abort</translation>
    </message>
    <message>
        <source>Retry</source>
        <translation>Retry</translation>
    </message>
    <message>
        <source>Ignore</source>
        <translation>Ignore</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>Discard</source>
        <translation>Discard</translation>
    </message>
    <message>
        <source>Help</source>
        <translation>Help</translation>
    </message>
    <message>
        <source>Apply</source>
        <translation>Apply</translation>
    </message>
    <message>
        <source>Reset</source>
        <translation>Reset</translation>
    </message>
    <message>
        <source>Restore Defaults</source>
        <translation>Restore Defaults</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>The server address must start with https:// (or http://) and name a host.</source>
        <translation>The server address must start with https:// (or http://) and name a host.</translation>
    </message>
    <message>
        <source>Use https:// for a server on another computer.</source>
        <translation>Use https:// for a server on another computer.</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Settings</translation>
    </message>
    <message>
        <source>&amp;Language:</source>
        <translation>&amp;Language:</translation>
    </message>
    <message>
        <source>&amp;Server address:</source>
        <translation>&amp;Server address:</translation>
    </message>
    <message>
        <source>The address of the customs feedback server, given by customs IT (for example https://phanhoi.haiquan.vn). It takes effect at once.</source>
        <translation>The address of the customs feedback server, given by customs IT (for example https://phanhoi.haiquan.vn). It takes effect at once.</translation>
    </message>
    <message>
        <source>Passwords are kept in the system's credential store.</source>
        <translation>Passwords are kept in the system's credential store.</translation>
    </message>
</context>
<context>
    <name>SignInDialog</name>
    <message>
        <source>Sign in to the customs feedback server</source>
        <translation>Sign in to the customs feedback server</translation>
    </message>
    <message>
        <source>Remember the password in the Windows credential store</source>
        <translation>Remember the password in the Windows credential store</translation>
    </message>
    <message>
        <source>No secure credential store is available: the password will be asked each time.</source>
        <translation>No secure credential store is available: the password will be asked each time.</translation>
    </message>
    <message>
        <source>Tax code:</source>
        <translation>Tax code:</translation>
    </message>
    <message>
        <source>Password:</source>
        <translation>Password:</translation>
    </message>
</context>
<context>
    <name>Sync</name>
    <message>
        <source>No server address is set (Settings).</source>
        <translation>No server address is set (Settings).</translation>
    </message>
    <message>
        <source>Sync now</source>
        <translation>Sync now</translation>
    </message>
    <message>
        <source>The disk is full: the submission could not be recorded. Everything recorded before is safe. Free some disk space and send again.</source>
        <translation>The disk is full: the submission could not be recorded. Everything recorded before is safe. Free some disk space and send again.</translation>
    </message>
    <message>
        <source>Outbox (items to send)…</source>
        <translation>Outbox (items to send)…</translation>
    </message>
    <message>
        <source>No server address is set: nothing will be sent until one is entered.</source>
        <translation>No server address is set: nothing will be sent until one is entered.</translation>
    </message>
    <message>
        <source>Server address saved: connecting to %1…</source>
        <translation>Server address saved: connecting to %1…</translation>
    </message>
    <message>
        <source>No server address is set: open Settings to enter it.</source>
        <translation>No server address is set: open Settings to enter it.</translation>
    </message>
    <message>
        <source>Outbox — items to send</source>
        <translation>Outbox — items to send</translation>
    </message>
    <message>
        <source>%1 item(s) of the outbox were damaged on this computer and will not be sent: see Outbox, "Damaged". The other items are sent as usual.</source>
        <translation>%1 item(s) of the outbox were damaged on this computer and will not be sent: see Outbox, "Damaged". The other items are sent as usual.</translation>
    </message>
    <message>
        <source>The outbox file was empty (0 bytes), probably cut off by a full disk or a failed copy. It was moved to %1 and a new outbox was started.</source>
        <translation>The outbox file was empty (0 bytes), probably cut off by a full disk or a failed copy. It was moved to %1 and a new outbox was started.</translation>
    </message>
    <message>
        <source>The outbox file was damaged. It was moved to %1 and a new outbox was started. Keep the old file for customs IT.</source>
        <translation>The outbox file was damaged. It was moved to %1 and a new outbox was started. Keep the old file for customs IT.</translation>
    </message>
    <message>
        <source>Signed in as %1.</source>
        <translation>Signed in as %1.</translation>
    </message>
    <message>
        <source>Sign in again to send the %n item(s) waiting in the outbox.</source>
        <translation>Sign in again to send the %n item(s) waiting in the outbox.</translation>
    </message>
    <message>
        <source>Sign in with your enterprise's tax code to receive your declarations and send assessments.</source>
        <translation>Sign in with your enterprise's tax code to receive your declarations and send assessments.</translation>
    </message>
    <message>
        <source>Sign in to the customs feedback server.</source>
        <translation>Sign in to the customs feedback server.</translation>
    </message>
    <message>
        <source>The password is wrong for tax code %1: type it again (and check the tax code).</source>
        <translation>The password is wrong for tax code %1: type it again (and check the tax code).</translation>
    </message>
    <message>
        <source>Sign-in refused: the tax code or password is wrong.</source>
        <translation>Sign-in refused: the tax code or password is wrong.</translation>
    </message>
    <message>
        <source>This account may not sign in here.</source>
        <translation>This account may not sign in here.</translation>
    </message>
    <message>
        <source>Too many sign-in attempts: wait a moment and try again.</source>
        <translation>Too many sign-in attempts: wait a moment and try again.</translation>
    </message>
    <message>
        <source>The server is busy: try again in a moment.</source>
        <translation>The server is busy: try again in a moment.</translation>
    </message>
    <message>
        <source>The server cannot be reached: check the network and try again.</source>
        <translation>The server cannot be reached: check the network and try again.</translation>
    </message>
</context>
<context>
    <name>SyncStatus</name>
    <message>
        <source>Online</source>
        <translation>Online</translation>
    </message>
    <message>
        <source>Syncing…</source>
        <translation>Syncing…</translation>
    </message>
    <message>
        <source>Offline</source>
        <translation>Offline</translation>
    </message>
    <message>
        <source>Sign-in needed</source>
        <translation>Sign-in needed</translation>
    </message>
    <message>
        <source>Not connected yet</source>
        <translation>Not connected yet</translation>
    </message>
    <message>
        <source>Another window is sending</source>
        <translation>Another window is sending</translation>
    </message>
    <message>
        <source>Waiting: %1</source>
        <translation>Waiting: %1</translation>
    </message>
    <message>
        <source>Refused: %1</source>
        <translation>Refused: %1</translation>
    </message>
    <message>
        <source>Last error: %1</source>
        <translation>Last error: %1</translation>
    </message>
    <message>
        <source>Last sent: %1</source>
        <translation>Last sent: %1</translation>
    </message>
    <message>
        <source>Next attempt: %1</source>
        <translation>Next attempt: %1</translation>
    </message>
    <message>
        <source>Sync now</source>
        <translation>Sync now</translation>
    </message>
    <message>
        <source>the server did not answer in time</source>
        <translation>the server did not answer in time</translation>
    </message>
    <message>
        <source>no connection to the server</source>
        <translation>no connection to the server</translation>
    </message>
    <message>
        <source>the server is busy; it will be tried again</source>
        <translation>the server is busy; it will be tried again</translation>
    </message>
    <message>
        <source>the server's answer could not be read</source>
        <translation>the server's answer could not be read</translation>
    </message>
    <message>
        <source>the address does not answer like the feedback server</source>
        <translation>the address does not answer like the feedback server</translation>
    </message>
    <message>
        <source>sign-in needed</source>
        <translation>sign-in needed</translation>
    </message>
    <message>
        <source>the disk is full: free some space (nothing recorded is lost)</source>
        <translation>the disk is full: free some space (nothing recorded is lost)</translation>
    </message>
    <message>
        <source>the local outbox could not be read</source>
        <translation>the local outbox could not be read</translation>
    </message>
</context>
<context>
    <name>UpdateClient</name>
    <message>
        <source>A downloaded update file does not match its signed length or hash and was discarded ({detail}). The installed version is unchanged.</source>
        <translation>A downloaded update file does not match its signed length or hash and was discarded ({detail}). The installed version is unchanged.</translation>
    </message>
    <message>
        <source>Checking for updates failed: {detail}</source>
        <translation>Checking for updates failed: {detail}</translation>
    </message>
    <message>
        <source>No trusted update root is installed; updates are off.</source>
        <translation>No trusted update root is installed; updates are off.</translation>
    </message>
    <message>
        <source>Release {version} is no longer offered by the update repository.</source>
        <translation>Release {version} is no longer offered by the update repository.</translation>
    </message>
    <message>
        <source>The signed update information has expired ({detail}). Customs IT must re-sign the update repository; no update was installed.</source>
        <translation>The signed update information has expired ({detail}). Customs IT must re-sign the update repository; no update was installed.</translation>
    </message>
    <message>
        <source>The update could not be stored on this computer ({detail}).</source>
        <translation>The update could not be stored on this computer ({detail}).</translation>
    </message>
    <message>
        <source>The update information failed its signature check ({detail}); it was refused. The installed version is unchanged.</source>
        <translation>The update information failed its signature check ({detail}); it was refused. The installed version is unchanged.</translation>
    </message>
    <message>
        <source>The update repository sent invalid information ({detail}); it was refused.</source>
        <translation>The update repository sent invalid information ({detail}); it was refused.</translation>
    </message>
    <message>
        <source>The update server cannot be reached ({detail}). The program will try again later.</source>
        <translation>The update server cannot be reached ({detail}). The program will try again later.</translation>
    </message>
    <message>
        <source>The {ring} release list is not valid ({detail}).</source>
        <translation>The {ring} release list is not valid ({detail}).</translation>
    </message>
    <message>
        <source>The {ring} release list is too large; it was refused.</source>
        <translation>The {ring} release list is too large; it was refused.</translation>
    </message>
</context>
<context>
    <name>UpdatePolicy</name>
    <message>
        <source>Update ring: {ring}</source>
        <translation>Update ring: {ring}</translation>
    </message>
    <message>
        <source>automatic checks switched off by IT</source>
        <translation>automatic checks switched off by IT</translation>
    </message>
    <message>
        <source>default (no IT policy)</source>
        <translation>default (no IT policy)</translation>
    </message>
    <message>
        <source>no update repository configured</source>
        <translation>no update repository configured</translation>
    </message>
    <message>
        <source>pilot (release candidates)</source>
        <translation>pilot (release candidates)</translation>
    </message>
    <message>
        <source>policy problem: {problem}</source>
        <translation>policy problem: {problem}</translation>
    </message>
    <message>
        <source>set by IT policy ({source})</source>
        <translation>set by IT policy ({source})</translation>
    </message>
    <message>
        <source>stable</source>
        <translation>stable</translation>
    </message>
</context>
<context>
    <name>Updates</name>
    <message>
        <source>A new version {version} is available (you have {current}). Install it now?</source>
        <translation>A new version {version} is available (you have {current}). Install it now?</translation>
    </message>
    <message>
        <source>Check for updates…</source>
        <translation>Check for updates…</translation>
    </message>
    <message>
        <source>Declarant Desk {version} is up to date ({ring} ring).</source>
        <translation>Declarant Desk {version} is up to date ({ring} ring).</translation>
    </message>
    <message>
        <source>Downloading version {version}…</source>
        <translation>Downloading version {version}…</translation>
    </message>
    <message>
        <source>Install now</source>
        <translation>Install now</translation>
    </message>
    <message>
        <source>Later</source>
        <translation>Later</translation>
    </message>
    <message>
        <source>New version {version}: install…</source>
        <translation>New version {version}: install…</translation>
    </message>
    <message>
        <source>No update repository is configured for this workstation.</source>
        <translation>No update repository is configured for this workstation.</translation>
    </message>
    <message>
        <source>The installer could not be started ({detail}); the current version stays.</source>
        <translation>The installer could not be started ({detail}); the current version stays.</translation>
    </message>
    <message>
        <source>The installer did not finish in time; the current version stays.</source>
        <translation>The installer did not finish in time; the current version stays.</translation>
    </message>
    <message>
        <source>The installer runs on Windows only. The verified file was kept at {path}.</source>
        <translation>The installer runs on Windows only. The verified file was kept at {path}.</translation>
    </message>
    <message>
        <source>The installer stopped with code {code}; version {current} stays installed and your data is unchanged.</source>
        <translation>The installer stopped with code {code}; version {current} stays installed and your data is unchanged.</translation>
    </message>
    <message>
        <source>The program keeps your data. If the installation fails, the current version stays.</source>
        <translation>The program keeps your data. If the installation fails, the current version stays.</translation>
    </message>
    <message>
        <source>The trusted update root is missing from the installation.</source>
        <translation>The trusted update root is missing from the installation.</translation>
    </message>
    <message>
        <source>Unexpected update error: {detail}</source>
        <translation>Unexpected update error: {detail}</translation>
    </message>
    <message>
        <source>Update</source>
        <translation>Update</translation>
    </message>
    <message>
        <source>Update not installed</source>
        <translation>Update not installed</translation>
    </message>
    <message>
        <source>Updates</source>
        <translation>Updates</translation>
    </message>
    <message>
        <source>Customs IT withdrew version {current}. Go back to version {version} now?</source>
        <translation>Customs IT withdrew version {current}. Go back to version {version} now?</translation>
    </message>
    <message>
        <source>Version {version} is available: use the button on the right to install it.</source>
        <translation>Version {version} is available: use the button on the right to install it.</translation>
    </message>
    <message>
        <source>Version {version} is installed; it starts the next time you open Declarant Desk.</source>
        <translation>Version {version} is installed; it starts the next time you open Declarant Desk.</translation>
    </message>
    <message>
        <source>version {version} available</source>
        <translation>version {version} available</translation>
    </message>
</context>
<context>
    <name>WelcomeBar</name>
    <message>
        <source>Welcome to Declarant Desk.</source>
        <translation>Welcome to Declarant Desk.</translation>
    </message>
    <message>
        <source>Step 2 of 2: sign in with your enterprise's tax code and password. Your declarations then appear in the list and assessments can be sent.</source>
        <translation>Step 2 of 2: sign in with your enterprise's tax code and password. Your declarations then appear in the list and assessments can be sent.</translation>
    </message>
    <message>
        <source>The list stays empty until the program is connected to the customs feedback server. Step 1 of 2: enter the server address (customs IT gives it). Step 2: sign in with your enterprise's tax code.</source>
        <translation>The list stays empty until the program is connected to the customs feedback server. Step 1 of 2: enter the server address (customs IT gives it). Step 2: sign in with your enterprise's tax code.</translation>
    </message>
    <message>
        <source>1. Set the server &amp;address…</source>
        <translation>1. Set the server &amp;address…</translation>
    </message>
    <message>
        <source>2. Si&amp;gn in…</source>
        <translation>2. Si&amp;gn in…</translation>
    </message>
</context>
</TS>
