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
        <source>Update ring</source>
        <translation>Update ring</translation>
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
        <source>Declarant Desk: customs declarations and the service-quality assessment.</source>
        <translation>Declarant Desk: customs declarations and the service-quality assessment.</translation>
    </message>
</context>
<context>
    <name>App</name>
    <message>
        <source>Language changed. Some parts of the window change after a restart.</source>
        <translation>Language changed. Some parts of the window change after a restart.</translation>
    </message>
    <message>
        <source>The server address takes effect after a restart.</source>
        <translation>The server address takes effect after a restart.</translation>
    </message>
    <message>
        <source>A service failed to start (see Help → Plugins).</source>
        <translation>A service failed to start (see Help → Plugins).</translation>
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
        <source>Declarant Desk</source>
        <translation>Declarant Desk</translation>
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
    <name>PluginHost</name>
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
        <source>Passwords are kept in the system's credential store.</source>
        <translation>Passwords are kept in the system's credential store.</translation>
    </message>
</context>
</TS>
