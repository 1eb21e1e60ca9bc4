-- What an artifact is for, in its owner's words (the Task API's file_purpose); null when nobody said.

ALTER TABLE Artifacts ADD COLUMN Description TEXT NULL;
