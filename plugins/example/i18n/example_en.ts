<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en">
<context>
    <name>example</name>
    <message>
        <source>Example: selected declaration</source>
        <translation>Example: selected declaration</translation>
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
        <source>Select a declaration first.</source>
        <translation>Select a declaration first.</translation>
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
