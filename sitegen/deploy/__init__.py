"""`sitegen deploy`: publish the built site to the targets of sitegen.toml (git branch, rsync, S3).

    tree.py      the files of one host's tree, their types, cache lifetimes and upload order
    gitbranch.py a branch of a git repository, history kept (GitHub Pages, Codeberg Pages …)
    rsync.py     real rsync, to a folder, an ssh host or an rsync daemon
    s3.py        S3 and S3-compatible stores, through boto3
    run.py       check, then each target in turn; the report and the exit status
"""
