<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en">
<context>
    <name>business_info</name>
    <message>
        <source>Identity</source>
        <translation>Identity</translation>
    </message>
    <message>
        <source>Contact person</source>
        <translation>Contact person</translation>
    </message>
    <message>
        <source>Business lines</source>
        <translation>Business lines</translation>
    </message>
    <message>
        <source>Import and export</source>
        <translation>Import and export</translation>
    </message>
    <message>
        <source>Bank accounts</source>
        <translation>Bank accounts</translation>
    </message>
    <message>
        <source>Sites and warehouses</source>
        <translation>Sites and warehouses</translation>
    </message>
    <message>
        <source>Related parties</source>
        <translation>Related parties</translation>
    </message>
    <message>
        <source>Bank</source>
        <translation>Bank</translation>
    </message>
    <message>
        <source>Account number</source>
        <translation>Account number</translation>
    </message>
    <message>
        <source>Currency</source>
        <translation>Currency</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Kind</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>Address</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>Phone</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Tax code or ID</source>
        <translation>Tax code or ID</translation>
    </message>
    <message>
        <source>Country (2 letters)</source>
        <translation>Country (2 letters)</translation>
    </message>
    <message>
        <source>Relation</source>
        <translation>Relation</translation>
    </message>
    <message>
        <source>VSIC code</source>
        <translation>VSIC code</translation>
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
        <source>Requested by customs</source>
        <translation>Requested by customs</translation>
    </message>
    <message>
        <source>Periodic (collection plan)</source>
        <translation>Periodic (collection plan)</translation>
    </message>
    <message>
        <source>First procedure at a customs unit</source>
        <translation>First procedure at a customs unit</translation>
    </message>
    <message>
        <source>Ad hoc request</source>
        <translation>Ad hoc request</translation>
    </message>
    <message>
        <source>Production site</source>
        <translation>Production site</translation>
    </message>
    <message>
        <source>Warehouse</source>
        <translation>Warehouse</translation>
    </message>
    <message>
        <source>Parent company</source>
        <translation>Parent company</translation>
    </message>
    <message>
        <source>Subsidiary</source>
        <translation>Subsidiary</translation>
    </message>
    <message>
        <source>Affiliate</source>
        <translation>Affiliate</translation>
    </message>
    <message>
        <source>Owner or shareholder</source>
        <translation>Owner or shareholder</translation>
    </message>
    <message>
        <source>Other</source>
        <translation>Other</translation>
    </message>
    <message>
        <source>Under 1 billion đồng</source>
        <translation>Under 1 billion đồng</translation>
    </message>
    <message>
        <source>1 to 10 billion đồng</source>
        <translation>1 to 10 billion đồng</translation>
    </message>
    <message>
        <source>10 to 50 billion đồng</source>
        <translation>10 to 50 billion đồng</translation>
    </message>
    <message>
        <source>50 to 200 billion đồng</source>
        <translation>50 to 200 billion đồng</translation>
    </message>
    <message>
        <source>200 to 1,000 billion đồng</source>
        <translation>200 to 1,000 billion đồng</translation>
    </message>
    <message>
        <source>Over 1,000 billion đồng</source>
        <translation>Over 1,000 billion đồng</translation>
    </message>
    <message>
        <source>%1: not valid: 10 digits, or 13 written XXXXXXXXXX-YYY, with a correct check digit.</source>
        <translation>%1: not valid: 10 digits, or 13 written XXXXXXXXXX-YYY, with a correct check digit.</translation>
    </message>
    <message>
        <source>%1: required.</source>
        <translation>%1: required.</translation>
    </message>
    <message>
        <source>%1: not a valid e-mail address (for example ketoan@congty.vn).</source>
        <translation>%1: not a valid e-mail address (for example ketoan@congty.vn).</translation>
    </message>
    <message>
        <source>%1: not a valid phone number: a mobile (10 digits starting with 03, 05, 07, 08 or 09) or a landline with its area code (for example 0225 3842 123).</source>
        <translation>%1: not a valid phone number: a mobile (10 digits starting with 03, 05, 07, 08 or 09) or a landline with its area code (for example 0225 3842 123).</translation>
    </message>
    <message>
        <source>%1: unknown code %2.</source>
        <translation>%1: unknown code %2.</translation>
    </message>
    <message>
        <source>%1: too long.</source>
        <translation>%1: too long.</translation>
    </message>
    <message>
        <source>%1: 4 to 34 letters or digits.</source>
        <translation>%1: 4 to 34 letters or digits.</translation>
    </message>
    <message>
        <source>%1: a three-letter code such as VND or USD.</source>
        <translation>%1: a three-letter code such as VND or USD.</translation>
    </message>
    <message>
        <source>%1: a two-letter code such as VN or JP.</source>
        <translation>%1: a two-letter code such as VN or JP.</translation>
    </message>
    <message>
        <source>%1: the same account is listed twice.</source>
        <translation>%1: the same account is listed twice.</translation>
    </message>
    <message>
        <source>&amp;Add a row</source>
        <translation>&amp;Add a row</translation>
    </message>
    <message>
        <source>&amp;Remove the row</source>
        <translation>&amp;Remove the row</translation>
    </message>
    <message>
        <source>answered</source>
        <translation>answered</translation>
    </message>
    <message>
        <source>overdue</source>
        <translation>overdue</translation>
    </message>
    <message>
        <source>to answer</source>
        <translation>to answer</translation>
    </message>
    <message>
        <source>Answer: %1</source>
        <translation>Answer: %1</translation>
    </message>
    <message>
        <source>due %1</source>
        <translation>due %1</translation>
    </message>
    <message>
        <source>Nothing changed since the last version. Send it again to confirm that the information is still correct?</source>
        <translation>Nothing changed since the last version. Send it again to confirm that the information is still correct?</translation>
    </message>
    <message>
        <source>Check the changes since the last version (highlighted), then send.</source>
        <translation>Check the changes since the last version (highlighted), then send.</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>(none)</translation>
    </message>
    <message>
        <source>(removed)</source>
        <translation>(removed)</translation>
    </message>
    <message>
        <source>Provide enterprise information</source>
        <translation>Provide enterprise information</translation>
    </message>
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
        <source>Company &amp;phone</source>
        <translation>Company &amp;phone</translation>
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
        <source>Contact person's &amp;name</source>
        <translation>Contact person's &amp;name</translation>
    </message>
    <message>
        <source>&amp;Position</source>
        <translation>&amp;Position</translation>
    </message>
    <message>
        <source>Contact person's &amp;phone</source>
        <translation>Contact person's &amp;phone</translation>
    </message>
    <message>
        <source>Contact person's &amp;e-mail</source>
        <translation>Contact person's &amp;e-mail</translation>
    </message>
    <message>
        <source>Business lines (VSIC)</source>
        <translation>Business lines (VSIC)</translation>
    </message>
    <message>
        <source>Main goods: &amp;HS chapters</source>
        <translation>Main goods: &amp;HS chapters</translation>
    </message>
    <message>
        <source>Customs units usually dealt with</source>
        <translation>Customs units usually dealt with</translation>
    </message>
    <message>
        <source>Yearly import-export &amp;turnover</source>
        <translation>Yearly import-export &amp;turnover</translation>
    </message>
    <message>
        <source>Bank account</source>
        <translation>Bank account</translation>
    </message>
    <message>
        <source>Production site or warehouse</source>
        <translation>Production site or warehouse</translation>
    </message>
    <message>
        <source>Related party</source>
        <translation>Related party</translation>
    </message>
    <message>
        <source>Other information</source>
        <translation>Other information</translation>
    </message>
    <message>
        <source>Rea&amp;son for providing</source>
        <translation>Rea&amp;son for providing</translation>
    </message>
    <message>
        <source>Request answered</source>
        <translation>Request answered</translation>
    </message>
    <message>
        <source>Customs collects this information for risk management. Provide it when it changes, when you first carry out procedures at a customs unit, and when customs asks.</source>
        <translation>Customs collects this information for risk management. Provide it when it changes, when you first carry out procedures at a customs unit, and when customs asks.</translation>
    </message>
    <message>
        <source>Request from customs</source>
        <translation>Request from customs</translation>
    </message>
    <message>
        <source>Due date</source>
        <translation>Due date</translation>
    </message>
    <message>
        <source>State</source>
        <translation>State</translation>
    </message>
    <message>
        <source>Requests from customs</source>
        <translation>Requests from customs</translation>
    </message>
    <message>
        <source>The first line is the main business line.</source>
        <translation>The first line is the main business line.</translation>
    </message>
    <message>
        <source>&amp;Record and check</source>
        <translation>&amp;Record and check</translation>
    </message>
    <message>
        <source>Field</source>
        <translation>Field</translation>
    </message>
    <message>
        <source>Last version</source>
        <translation>Last version</translation>
    </message>
    <message>
        <source>Now</source>
        <translation>Now</translation>
    </message>
    <message>
        <source>&amp;Send to customs</source>
        <translation>&amp;Send to customs</translation>
    </message>
    <message>
        <source>&amp;Back to the form</source>
        <translation>&amp;Back to the form</translation>
    </message>
    <message>
        <source>for example 84, 85, 39</source>
        <translation>for example 84, 85, 39</translation>
    </message>
    <message>
        <source>— choose —</source>
        <translation>— choose —</translation>
    </message>
    <message>
        <source>&amp;Close</source>
        <translation>&amp;Close</translation>
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
        <source>(%n request(s))</source>
        <translation>(%n request(s))</translation>
    </message>
    <message>
        <source>Customs asked for your enterprise information by %1: the request is overdue.</source>
        <translation>Customs asked for your enterprise information by %1: the request is overdue.</translation>
    </message>
    <message>
        <source>Customs asks for your enterprise information by %1.</source>
        <translation>Customs asks for your enterprise information by %1.</translation>
    </message>
    <message>
        <source>Customs asks for your enterprise information.</source>
        <translation>Customs asks for your enterprise information.</translation>
    </message>
    <message>
        <source>Other operations → Provide enterprise information.</source>
        <translation>Other operations → Provide enterprise information.</translation>
    </message>
    <message>
        <source>The form shows the information customs holds from the last collection.</source>
        <translation>The form shows the information customs holds from the last collection.</translation>
    </message>
    <message>
        <source>The form shows the last version your enterprise sent from another workstation.</source>
        <translation>The form shows the last version your enterprise sent from another workstation.</translation>
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
        <source>Record the information first.</source>
        <translation>Record the information first.</translation>
    </message>
    <message>
        <source>The information could not be queued for sending: %1</source>
        <translation>The information could not be queued for sending: %1</translation>
    </message>
    <message>
        <source>Enterprise information recorded; it is sent as soon as there is a connection.</source>
        <translation>Enterprise information recorded; it is sent as soon as there is a connection.</translation>
    </message>
</context>
</TS>
