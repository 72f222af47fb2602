<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en">
<context>
    <name>business_info</name>
    <message>
        <source>&amp;Tax code</source>
        <translation>&amp;Tax code</translation>
    </message>
    <message>
        <source>Enterprise &amp;name</source>
        <translation>Enterprise &amp;name</translation>
    </message>
    <message>
        <source>Head office &amp;address</source>
        <translation>Head office &amp;address</translation>
    </message>
    <message>
        <source>Contact &amp;phone</source>
        <translation>Contact &amp;phone</translation>
    </message>
    <message>
        <source>&amp;E-mail</source>
        <translation>&amp;E-mail</translation>
    </message>
    <message>
        <source>Legal &amp;representative</source>
        <translation>Legal &amp;representative</translation>
    </message>
    <message>
        <source>Main &amp;business line</source>
        <translation>Main &amp;business line</translation>
    </message>
    <message>
        <source>Number of e&amp;mployees</source>
        <translation>Number of e&amp;mployees</translation>
    </message>
    <message>
        <source>&amp;Charter capital (VND)</source>
        <translation>&amp;Charter capital (VND)</translation>
    </message>
    <message>
        <source>Production site or &amp;warehouse</source>
        <translation>Production site or &amp;warehouse</translation>
    </message>
    <message>
        <source>Customs branch usually &amp;dealt with</source>
        <translation>Customs branch usually &amp;dealt with</translation>
    </message>
    <message>
        <source>Rea&amp;son for providing</source>
        <translation>Rea&amp;son for providing</translation>
    </message>
    <message>
        <source>The information has changed</source>
        <translation>The information has changed</translation>
    </message>
    <message>
        <source>First procedure at this customs unit</source>
        <translation>First procedure at this customs unit</translation>
    </message>
    <message>
        <source>Periodic, as requested by customs</source>
        <translation>Periodic, as requested by customs</translation>
    </message>
    <message>
        <source>The tax code is not valid: 10 digits, or 13 written XXXXXXXXXX-YYY, with a correct check digit.</source>
        <translation>The tax code is not valid: 10 digits, or 13 written XXXXXXXXXX-YYY, with a correct check digit.</translation>
    </message>
    <message>
        <source>Enter the enterprise's name.</source>
        <translation>Enter the enterprise's name.</translation>
    </message>
    <message>
        <source>Enter the head office address.</source>
        <translation>Enter the head office address.</translation>
    </message>
    <message>
        <source>The phone number is not valid: 10 digits starting with 03, 05, 07, 08 or 09 (+84 is accepted).</source>
        <translation>The phone number is not valid: 10 digits starting with 03, 05, 07, 08 or 09 (+84 is accepted).</translation>
    </message>
    <message>
        <source>The e-mail address is not valid.</source>
        <translation>The e-mail address is not valid.</translation>
    </message>
    <message>
        <source>The representative's name is too long.</source>
        <translation>The representative's name is too long.</translation>
    </message>
    <message>
        <source>Choose why you are providing the information.</source>
        <translation>Choose why you are providing the information.</translation>
    </message>
    <message>
        <source>The number of employees must be a whole number.</source>
        <translation>The number of employees must be a whole number.</translation>
    </message>
    <message>
        <source>The charter capital must be an amount in đồng.</source>
        <translation>The charter capital must be an amount in đồng.</translation>
    </message>
    <message>
        <source>%1 is too long.</source>
        <translation>%1 is too long.</translation>
    </message>
    <message>
        <source>Provide enterprise information</source>
        <translation>Provide enterprise information</translation>
    </message>
    <message>
        <source>— choose —</source>
        <translation>— choose —</translation>
    </message>
    <message>
        <source>&amp;Send</source>
        <translation>&amp;Send</translation>
    </message>
    <message>
        <source>&amp;Close</source>
        <translation>&amp;Close</translation>
    </message>
    <message>
        <source>Customs collects this information for risk management. Provide it when it changes, when you first carry out procedures at a customs unit, and periodically when customs asks.</source>
        <translation>Customs collects this information for risk management. Provide it when it changes, when you first carry out procedures at a customs unit, and periodically when customs asks.</translation>
    </message>
    <message>
        <source>queued, will be sent when the connection returns</source>
        <translation>queued, will be sent when the connection returns</translation>
    </message>
    <message>
        <source>being sent</source>
        <translation>being sent</translation>
    </message>
    <message>
        <source>received by customs</source>
        <translation>received by customs</translation>
    </message>
    <message>
        <source>refused by the server</source>
        <translation>refused by the server</translation>
    </message>
    <message>
        <source>This enterprise's information has not been provided from this computer yet.</source>
        <translation>This enterprise's information has not been provided from this computer yet.</translation>
    </message>
    <message>
        <source>Last provided on %1</source>
        <translation>Last provided on %1</translation>
    </message>
    <message>
        <source>The information could not be queued for sending: %1</source>
        <translation>The information could not be queued for sending: %1</translation>
    </message>
    <message>
        <source>Enterprise information saved; it is sent as soon as there is a connection.</source>
        <translation>Enterprise information saved; it is sent as soon as there is a connection.</translation>
    </message>
    <message>
        <source>Customs asks for your enterprise information: Other operations → Provide enterprise information.</source>
        <translation>Customs asks for your enterprise information: Other operations → Provide enterprise information.</translation>
    </message>
</context>
</TS>
