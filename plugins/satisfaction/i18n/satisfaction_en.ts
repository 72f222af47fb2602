<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_GB">
    <context>
        <name>AnswersWindow</name>
        <message>
            <source>Assessment</source>
            <translation>Assessment</translation>
        </message>
        <message>
            <source>Reflection</source>
            <translation>Reflection</translation>
        </message>
        <message>
            <source>Results of assessments and reflections</source>
            <translation>Results of assessments and reflections</translation>
        </message>
        <message>
            <source>Kind</source>
            <translation>Kind</translation>
        </message>
        <message>
            <source>Declaration</source>
            <translation>Declaration</translation>
        </message>
        <message>
            <source>Recorded</source>
            <translation>Recorded</translation>
        </message>
        <message>
            <source>State</source>
            <translation>State</translation>
        </message>
        <message>
            <source>Reference</source>
            <translation>Reference</translation>
        </message>
        <message>
            <source>Processing</source>
            <translation>Processing</translation>
        </message>
        <message>
            <source>Answer due</source>
            <translation>Answer due</translation>
        </message>
        <message>
            <source>Answer</source>
            <translation>Answer</translation>
        </message>
        <message>
            <source>Details</source>
            <translation>Details</translation>
        </message>
        <message>
            <source>&amp;Open</source>
            <translation>&amp;Open</translation>
        </message>
        <message>
            <source>Open the assessment (a rejected one can be corrected and sent again)</source>
            <translation>Open the assessment (a rejected one can be corrected and sent again)</translation>
        </message>
        <message>
            <source>&amp;Refresh</source>
            <translation>&amp;Refresh</translation>
        </message>
        <message>
            <source>Close</source>
            <translation>Close</translation>
        </message>
        <message>
            <source>&amp;Accept the answer</source>
            <translation>&amp;Accept the answer</translation>
        </message>
        <message>
            <source>The answer settles the matter: customs closes the case</source>
            <translation>The answer settles the matter: customs closes the case</translation>
        </message>
        <message>
            <source>Re&amp;open the case…</source>
            <translation>Re&amp;open the case…</translation>
        </message>
        <message>
            <source>The answer does not settle the matter: customs handles the case again (once)</source>
            <translation>The answer does not settle the matter: customs handles the case again (once)</translation>
        </message>
        <message>
            <source>%1 sent · %2 queued · %3 answered · %4 rejected</source>
            <translation>%1 sent · %2 queued · %3 answered · %4 rejected</translation>
        </message>
        <message>
            <source>Nothing has been sent yet.</source>
            <translation>Nothing has been sent yet.</translation>
        </message>
        <message>
            <source>Reason given by the server: %1</source>
            <translation>Reason given by the server: %1</translation>
        </message>
        <message>
            <source>Case at customs: %1</source>
            <translation>Case at customs: %1</translation>
        </message>
        <message>
            <source>answer due %1</source>
            <translation>answer due %1</translation>
        </message>
        <message>
            <source>You accepted the answer.</source>
            <translation>You accepted the answer.</translation>
        </message>
        <message>
            <source>You reopened the case: %1</source>
            <translation>You reopened the case: %1</translation>
        </message>
        <message>
            <source>(waiting to be sent)</source>
            <translation>(waiting to be sent)</translation>
        </message>
        <message>
            <source>(refused: %1)</source>
            <translation>(refused: %1)</translation>
        </message>
        <message>
            <source>Answer from customs</source>
            <translation>Answer from customs</translation>
        </message>
        <message>
            <source>Outcome: %1</source>
            <translation>Outcome: %1</translation>
        </message>
        <message>
            <source>verified</source>
            <translation>verified</translation>
        </message>
        <message>
            <source>Detailed reason: %1</source>
            <translation>Detailed reason: %1</translation>
        </message>
        <message>
            <source>Reopen the case</source>
            <translation>Reopen the case</translation>
        </message>
        <message>
            <source>Why does the answer not settle the matter? Customs handles the case again; a case can be reopened once.</source>
            <translation>Why does the answer not settle the matter? Customs handles the case again; a case can be reopened once.</translation>
        </message>
    </context>
    <context>
        <name>AssessmentDialog</name>
        <message>
            <source>Service-quality assessment — %1</source>
            <translation>Service-quality assessment — %1</translation>
        </message>
        <message>
            <source>Rate every official, working team, professional stage and customs branch that handled this declaration: 1 to 5 stars (arrow keys or digits) and at least one reason.</source>
            <translation>Rate every official, working team, professional stage and customs branch that handled this declaration: 1 to 5 stars (arrow keys or digits) and at least one reason.</translation>
        </message>
        <message>
            <source>&amp;Copy the first rating to unrated targets</source>
            <translation>&amp;Copy the first rating to unrated targets</translation>
        </message>
        <message>
            <source>Give every target without stars the same stars and reasons as the first one.</source>
            <translation>Give every target without stars the same stars and reasons as the first one.</translation>
        </message>
        <message>
            <source>Detailed reason and contact person (required with 1 or 2 stars)</source>
            <translation>Detailed reason and contact person (required with 1 or 2 stars)</translation>
        </message>
        <message>
            <source>What happened, when and where (at most %1 characters)</source>
            <translation>What happened, when and where (at most %1 characters)</translation>
        </message>
        <message>
            <source>&amp;Detailed reason:</source>
            <translation>&amp;Detailed reason:</translation>
        </message>
        <message>
            <source>Contact &amp;full name:</source>
            <translation>Contact &amp;full name:</translation>
        </message>
        <message>
            <source>Mobile &amp;phone:</source>
            <translation>Mobile &amp;phone:</translation>
        </message>
        <message>
            <source>Detailed reason</source>
            <translation>Detailed reason</translation>
        </message>
        <message>
            <source>Contact full name</source>
            <translation>Contact full name</translation>
        </message>
        <message>
            <source>Mobile phone</source>
            <translation>Mobile phone</translation>
        </message>
        <message>
            <source>&amp;Record</source>
            <translation>&amp;Record</translation>
        </message>
        <message>
            <source>Check the form and show exactly what will be sent (Ctrl+Enter)</source>
            <translation>Check the form and show exactly what will be sent (Ctrl+Enter)</translation>
        </message>
        <message>
            <source>Close</source>
            <translation>Close</translation>
        </message>
        <message>
            <source>Summary of the assessment</source>
            <translation>Summary of the assessment</translation>
        </message>
        <message>
            <source>&amp;Send</source>
            <translation>&amp;Send</translation>
        </message>
        <message>
            <source>&amp;Edit</source>
            <translation>&amp;Edit</translation>
        </message>
        <message>
            <source>Correct and send &amp;again</source>
            <translation>Correct and send &amp;again</translation>
        </message>
        <message>
            <source>Detailed reason and contact person (required: a target has 1 or 2 stars)</source>
            <translation>Detailed reason and contact person (required: a target has 1 or 2 stars)</translation>
        </message>
        <message>
            <source>Check what will be sent. Choose &lt;b&gt;Send&lt;/b&gt; to send it, or &lt;b&gt;Edit&lt;/b&gt; to go back to the form. Once sent, the assessment cannot be changed.</source>
            <translation>Check what will be sent. Choose &lt;b&gt;Send&lt;/b&gt; to send it, or &lt;b&gt;Edit&lt;/b&gt; to go back to the form. Once sent, the assessment cannot be changed.</translation>
        </message>
        <message>
            <source>Customs reference: %1</source>
            <translation>Customs reference: %1</translation>
        </message>
        <message>
            <source>Processing: %1</source>
            <translation>Processing: %1</translation>
        </message>
        <message>
            <source>Answer from customs:</source>
            <translation>Answer from customs:</translation>
        </message>
        <message>
            <source>This declaration was assessed from another workstation of your enterprise.</source>
            <translation>This declaration was assessed from another workstation of your enterprise.</translation>
        </message>
        <message>
            <source>Reason: %1</source>
            <translation>Reason: %1</translation>
        </message>
        <message>
            <source>Please correct the following:</source>
            <translation>Please correct the following:</translation>
        </message>
        <message>
            <source>Target</source>
            <translation>Target</translation>
        </message>
        <message>
            <source>Name</source>
            <translation>Name</translation>
        </message>
        <message>
            <source>Level</source>
            <translation>Level</translation>
        </message>
        <message>
            <source>Reasons</source>
            <translation>Reasons</translation>
        </message>
        <message>
            <source>Comment</source>
            <translation>Comment</translation>
        </message>
        <message>
            <source>Detailed reason:</source>
            <translation>Detailed reason:</translation>
        </message>
        <message>
            <source>Contact person:</source>
            <translation>Contact person:</translation>
        </message>
    </context>
    <context>
        <name>Notice</name>
        <message>
            <source>Close</source>
            <translation>Close</translation>
        </message>
    </context>
    <context>
        <name>ReflectionDialog</name>
        <message>
            <source>Reflection during the procedure — %1</source>
            <translation>Reflection during the procedure — %1</translation>
        </message>
        <message>
            <source>Tell customs about a problem that arose during the procedure of this declaration. Customs verifies every reflection and sends you its answer.</source>
            <translation>Tell customs about a problem that arose during the procedure of this declaration. Customs verifies every reflection and sends you its answer.</translation>
        </message>
        <message>
            <source>Describe the problem (at most %1 characters)</source>
            <translation>Describe the problem (at most %1 characters)</translation>
        </message>
        <message>
            <source>Targets concerned</source>
            <translation>Targets concerned</translation>
        </message>
        <message>
            <source>&amp;Full name:</source>
            <translation>&amp;Full name:</translation>
        </message>
        <message>
            <source>Full name</source>
            <translation>Full name</translation>
        </message>
        <message>
            <source>Mobile &amp;phone:</source>
            <translation>Mobile &amp;phone:</translation>
        </message>
        <message>
            <source>Mobile phone</source>
            <translation>Mobile phone</translation>
        </message>
        <message>
            <source>&amp;Content:</source>
            <translation>&amp;Content:</translation>
        </message>
        <message>
            <source>Content</source>
            <translation>Content</translation>
        </message>
        <message>
            <source>&amp;Targets concerned (optional):</source>
            <translation>&amp;Targets concerned (optional):</translation>
        </message>
        <message>
            <source>&amp;Send</source>
            <translation>&amp;Send</translation>
        </message>
        <message>
            <source>Close</source>
            <translation>Close</translation>
        </message>
        <message>
            <source>Please correct the following:</source>
            <translation>Please correct the following:</translation>
        </message>
    </context>
    <context>
        <name>SatisfactionCommon</name>
        <message>
            <source>Declaration</source>
            <translation>Declaration</translation>
        </message>
        <message>
            <source>Not yet possible</source>
            <translation>Not yet possible</translation>
        </message>
        <message>
            <source>Not rated</source>
            <translation>Not rated</translation>
        </message>
        <message>
            <source>Queued</source>
            <translation>Queued</translation>
        </message>
        <message>
            <source>Sent</source>
            <translation>Sent</translation>
        </message>
        <message>
            <source>Answered</source>
            <translation>Answered</translation>
        </message>
        <message>
            <source>Rejected</source>
            <translation>Rejected</translation>
        </message>
        <message>
            <source>It will be sent when the connection returns.</source>
            <translation>It will be sent when the connection returns.</translation>
        </message>
        <message>
            <source>Received by customs, waiting for processing.</source>
            <translation>Received by customs, waiting for processing.</translation>
        </message>
        <message>
            <source>Customs has answered.</source>
            <translation>Customs has answered.</translation>
        </message>
        <message>
            <source>The server refused it: correct it and send it again.</source>
            <translation>The server refused it: correct it and send it again.</translation>
        </message>
        <message>
            <source>This declaration can be rated.</source>
            <translation>This declaration can be rated.</translation>
        </message>
        <message>
            <source>Rating is not possible yet for this declaration.</source>
            <translation>Rating is not possible yet for this declaration.</translation>
        </message>
        <message>
            <source>Received</source>
            <translation>Received</translation>
        </message>
        <message>
            <source>Being verified</source>
            <translation>Being verified</translation>
        </message>
        <message>
            <source>Assigned to an official</source>
            <translation>Assigned to an official</translation>
        </message>
        <message>
            <source>Closed</source>
            <translation>Closed</translation>
        </message>
        <message>
            <source>Reopened</source>
            <translation>Reopened</translation>
        </message>
        <message>
            <source>The detailed reason</source>
            <translation>The detailed reason</translation>
        </message>
        <message>
            <source>The contact person's full name</source>
            <translation>The contact person's full name</translation>
        </message>
        <message>
            <source>The contact phone number</source>
            <translation>The contact phone number</translation>
        </message>
        <message>
            <source>The full name</source>
            <translation>The full name</translation>
        </message>
        <message>
            <source>The phone number</source>
            <translation>The phone number</translation>
        </message>
        <message>
            <source>The content</source>
            <translation>The content</translation>
        </message>
        <message>
            <source>Choose 1 to 5 stars for %1.</source>
            <translation>Choose 1 to 5 stars for %1.</translation>
        </message>
        <message>
            <source>Choose at least one reason for %1.</source>
            <translation>Choose at least one reason for %1.</translation>
        </message>
        <message>
            <source>The phone number is not valid: a mobile number has 10 digits and starts with 03, 05, 07, 08 or 09 (+84 is accepted).</source>
            <translation>The phone number is not valid: a mobile number has 10 digits and starts with 03, 05, 07, 08 or 09 (+84 is accepted).</translation>
        </message>
        <message>
            <source>The comment on %1</source>
            <translation>The comment on %1</translation>
        </message>
        <message>
            <source>%1 is too long: %2 characters, at most %3.</source>
            <translation>%1 is too long: %2 characters, at most %3.</translation>
        </message>
        <message>
            <source>Enter the detailed reason: it is required when a target gets 1 or 2 stars.</source>
            <translation>Enter the detailed reason: it is required when a target gets 1 or 2 stars.</translation>
        </message>
        <message>
            <source>Enter the contact person's full name: it is required with 1 or 2 stars.</source>
            <translation>Enter the contact person's full name: it is required with 1 or 2 stars.</translation>
        </message>
        <message>
            <source>Enter the contact person's mobile phone: it is required with 1 or 2 stars.</source>
            <translation>Enter the contact person's mobile phone: it is required with 1 or 2 stars.</translation>
        </message>
        <message>
            <source>%1 is required.</source>
            <translation>%1 is required.</translation>
        </message>
        <message>
            <source>This declaration cannot be assessed yet: the goods must be released, brought to preservation or cleared.</source>
            <translation>This declaration cannot be assessed yet: the goods must be released, brought to preservation or cleared.</translation>
        </message>
        <message>
            <source>A reflection can be sent only once the declaration has been given a channel.</source>
            <translation>A reflection can be sent only once the declaration has been given a channel.</translation>
        </message>
        <message>
            <source>No handling records are known for this declaration yet, so there is nothing to rate. Synchronise and try again.</source>
            <translation>No handling records are known for this declaration yet, so there is nothing to rate. Synchronise and try again.</translation>
        </message>
        <message>
            <source>Not accepted by the rules of customs: %1</source>
            <translation>Not accepted by the rules of customs: %1</translation>
        </message>
    </context>
    <context>
        <name>SatisfactionPlugin</name>
        <message>
            <source>Queued</source>
            <translation>Queued</translation>
        </message>
        <message>
            <source>Sent</source>
            <translation>Sent</translation>
        </message>
        <message>
            <source>Answered</source>
            <translation>Answered</translation>
        </message>
        <message>
            <source>Rejected</source>
            <translation>Rejected</translation>
        </message>
        <message>
            <source>Not rated</source>
            <translation>Not rated</translation>
        </message>
        <message numerus="yes">
            <source>%n reflection(s)</source>
            <translation>
                <numerusform>%n reflection</numerusform>
                <numerusform>%n reflections</numerusform>
            </translation>
        </message>
        <message>
            <source>, answered</source>
            <translation>, answered</translation>
        </message>
        <message numerus="yes">
            <source>%n answered</source>
            <translation>
                <numerusform>%n answered</numerusform>
                <numerusform>%n answered</numerusform>
            </translation>
        </message>
        <message>
            <source>The assessment plugin's local file was damaged and was moved to %1; a new one was started. What was sent is safe in the outbox.</source>
            <translation>The assessment plugin's local file was damaged and was moved to %1; a new one was started. What was sent is safe in the outbox.</translation>
        </message>
        <message>
            <source>Service-quality assessment</source>
            <translation>Service-quality assessment</translation>
        </message>
        <message>
            <source>Assess the selected declaration</source>
            <translation>Assess the selected declaration</translation>
        </message>
        <message>
            <source>Send a reflection</source>
            <translation>Send a reflection</translation>
        </message>
        <message>
            <source>Results of assessments and reflections</source>
            <translation>Results of assessments and reflections</translation>
        </message>
        <message>
            <source>Declarations not yet rated</source>
            <translation>Declarations not yet rated</translation>
        </message>
        <message>
            <source>Assessment</source>
            <translation>Assessment</translation>
        </message>
        <message>
            <source>Service-quality assessment: not rated, queued, sent, answered or rejected; the stars are the lowest level given</source>
            <translation>Service-quality assessment: not rated, queued, sent, answered or rejected; the stars are the lowest level given</translation>
        </message>
        <message>
            <source>Select a declaration in the list first.</source>
            <translation>Select a declaration in the list first.</translation>
        </message>
        <message>
            <source>Declaration %1 is not in the list.</source>
            <translation>Declaration %1 is not in the list.</translation>
        </message>
        <message>
            <source>Declaration %1 cannot be assessed yet: the assessment is possible once the goods are released, brought to preservation or cleared.</source>
            <translation>Declaration %1 cannot be assessed yet: the assessment is possible once the goods are released, brought to preservation or cleared.</translation>
        </message>
        <message>
            <source>During the procedure you can send a reflection.</source>
            <translation>During the procedure you can send a reflection.</translation>
        </message>
        <message>
            <source>Send a &amp;reflection</source>
            <translation>Send a &amp;reflection</translation>
        </message>
        <message>
            <source>Reflection</source>
            <translation>Reflection</translation>
        </message>
        <message>
            <source>A reflection on declaration %1 can be sent once the declaration has been given a channel (and until it is cleared).</source>
            <translation>A reflection on declaration %1 can be sent once the declaration has been given a channel (and until it is cleared).</translation>
        </message>
        <message>
            <source>Reopen the case</source>
            <translation>Reopen the case</translation>
        </message>
        <message>
            <source>Say why the answer does not settle the matter (at most 2000 characters).</source>
            <translation>Say why the answer does not settle the matter (at most 2000 characters).</translation>
        </message>
        <message>
            <source>Declaration %1: the answer was accepted.</source>
            <translation>Declaration %1: the answer was accepted.</translation>
        </message>
        <message>
            <source>Declaration %1: the case is reopened; customs will answer again.</source>
            <translation>Declaration %1: the case is reopened; customs will answer again.</translation>
        </message>
        <message>
            <source>Nothing was sent: sending is not available in this program (%1). Your entries are kept.</source>
            <translation>Nothing was sent: sending is not available in this program (%1). Your entries are kept.</translation>
        </message>
        <message>
            <source>Nothing was sent: the submission could not be recorded (%1). Your entries are kept; try again.</source>
            <translation>Nothing was sent: the submission could not be recorded (%1). Your entries are kept; try again.</translation>
        </message>
        <message>
            <source>This declaration cannot be assessed any more (its status changed). Nothing was sent.</source>
            <translation>This declaration cannot be assessed any more (its status changed). Nothing was sent.</translation>
        </message>
        <message>
            <source>The assessment of declaration %1 was sent to customs.</source>
            <translation>The assessment of declaration %1 was sent to customs.</translation>
        </message>
        <message>
            <source>The reflection on declaration %1 was sent to customs.</source>
            <translation>The reflection on declaration %1 was sent to customs.</translation>
        </message>
        <message>
            <source>Sending to customs (declaration %1)…</source>
            <translation>Sending to customs (declaration %1)…</translation>
        </message>
        <message>
            <source>Declaration %1 was already assessed from another workstation of your enterprise; that assessment is shown.</source>
            <translation>Declaration %1 was already assessed from another workstation of your enterprise; that assessment is shown.</translation>
        </message>
        <message>
            <source>Declaration %1: saved; it will be sent to customs when there is a connection.</source>
            <translation>Declaration %1: saved; it will be sent to customs when there is a connection.</translation>
        </message>
        <message>
            <source>Refused by the server: %1</source>
            <translation>Refused by the server: %1</translation>
        </message>
        <message numerus="yes">
            <source>Customs answered %n of your submissions (declarations %1).</source>
            <translation>
                <numerusform>Customs answered %n of your submissions (declarations %1).</numerusform>
                <numerusform>Customs answered %n of your submissions (declarations %1).</numerusform>
            </translation>
        </message>
        <message>
            <source>New answer from customs</source>
            <translation>New answer from customs</translation>
        </message>
        <message>
            <source>&amp;View</source>
            <translation>&amp;View</translation>
        </message>
        <message numerus="yes">
            <source>The server refused %n submission(s) (declarations %1). Open the results to see why, correct and send again.</source>
            <translation>
                <numerusform>The server refused %n submission (declarations %1). Open the results to see why, correct and send again.</numerusform>
                <numerusform>The server refused %n submissions (declarations %1). Open the results to see why, correct and send again.</numerusform>
            </translation>
        </message>
        <message>
            <source>Declarations not yet rated: press Enter on one to assess it.</source>
            <translation>Declarations not yet rated: press Enter on one to assess it.</translation>
        </message>
    </context>
    <context>
        <name>StarRating</name>
        <message>
            <source>not rated</source>
            <translation>not rated</translation>
        </message>
        <message numerus="yes">
            <source>%n star(s), %1</source>
            <translation>
                <numerusform>%n star, %1</numerusform>
                <numerusform>%n stars, %1</numerusform>
            </translation>
        </message>
        <message>
            <source>Rating from 1 to 5 stars. Use the arrow keys or the digits 1 to 5; 0 clears.</source>
            <translation>Rating from 1 to 5 stars. Use the arrow keys or the digits 1 to 5; 0 clears.</translation>
        </message>
    </context>
    <context>
        <name>TargetRow</name>
        <message>
            <source>Reasons for %1</source>
            <translation>Reasons for %1</translation>
        </message>
        <message>
            <source>Tick one or more reasons (Space toggles the selected reason).</source>
            <translation>Tick one or more reasons (Space toggles the selected reason).</translation>
        </message>
        <message>
            <source>Other comments (optional)</source>
            <translation>Other comments (optional)</translation>
        </message>
        <message>
            <source>Comment on %1</source>
            <translation>Comment on %1</translation>
        </message>
        <message>
            <source>Choose the stars first</source>
            <translation>Choose the stars first</translation>
        </message>
    </context>
    <context>
        <name>UnratedWarning</name>
        <message>
            <source>Service-quality assessment</source>
            <translation>Service-quality assessment</translation>
        </message>
        <message>
            <source>You closed the form without rating declaration %1.</source>
            <translation>You closed the form without rating declaration %1.</translation>
        </message>
        <message numerus="yes">
            <source>%n declaration(s) have not been rated yet.</source>
            <translation>
                <numerusform>%n declaration has not been rated yet.</numerusform>
                <numerusform>%n declarations have not been rated yet.</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>Declarations whose goods were released, brought to preservation or cleared in the last %n day(s) count here. Your assessment helps customs improve its service.</source>
            <translation>
                <numerusform>Declarations whose goods were released, brought to preservation or cleared in the last %n day count here. Your assessment helps customs improve its service.</numerusform>
                <numerusform>Declarations whose goods were released, brought to preservation or cleared in the last %n days count here. Your assessment helps customs improve its service.</numerusform>
            </translation>
        </message>
        <message>
            <source>&amp;Do not remind me again today</source>
            <translation>&amp;Do not remind me again today</translation>
        </message>
        <message>
            <source>&amp;View</source>
            <translation>&amp;View</translation>
        </message>
        <message>
            <source>Show the list of declarations not yet rated</source>
            <translation>Show the list of declarations not yet rated</translation>
        </message>
        <message>
            <source>&amp;Later</source>
            <translation>&amp;Later</translation>
        </message>
    </context>
</TS>
