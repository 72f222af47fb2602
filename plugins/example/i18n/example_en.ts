<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en">
<context>
    <name>api</name>
    <message>
        <source>Select a declaration first.</source>
        <translation>Select a declaration first.</translation>
    </message>
</context>
<context>
    <name>example</name>
    <message>
        <source>Example: selected declaration</source>
        <translation>Example: selected declaration</translation>
    </message>
    <message>
        <source>Example: pin or unpin the selected declaration</source>
        <translation>Example: pin or unpin the selected declaration</translation>
    </message>
    <message>
        <source>Example: pinned declarations</source>
        <translation>Example: pinned declarations</translation>
    </message>
    <message>
        <source>Example: unpin all</source>
        <translation>Example: unpin all</translation>
    </message>
    <message>
        <source>Example: send a test note</source>
        <translation>Example: send a test note</translation>
    </message>
    <message>
        <source>Days</source>
        <translation>Days</translation>
    </message>
    <message>
        <source>Days since registration</source>
        <translation>Days since registration</translation>
    </message>
    <message>
        <source>Example plugin</source>
        <translation>Example plugin</translation>
    </message>
    <message>
        <source>Pinned declarations</source>
        <translation>Pinned declarations</translation>
    </message>
    <message>
        <source>No declaration is pinned.</source>
        <translation>No declaration is pinned.</translation>
    </message>
    <message>
        <source>Test note queued.</source>
        <translation>Test note queued.</translation>
    </message>
    <message>
        <source>Test note received by the server.</source>
        <translation>Test note received by the server.</translation>
    </message>
    <message>
        <source>Test note refused: %1</source>
        <translation>Test note refused: %1</translation>
    </message>
    <message>
        <source>Declaration %1 is not in the list.</source>
        <translation>Declaration %1 is not in the list.</translation>
    </message>
    <message>
        <source>Declaration %1: registered %2 days ago, handled by %3 units and officials.</source>
        <translation>Declaration %1: registered %2 days ago, handled by %3 units and officials.</translation>
    </message>
    <message>
        <source>The example task failed: %1</source>
        <translation>The example task failed: %1</translation>
    </message>
</context>
</TS>
